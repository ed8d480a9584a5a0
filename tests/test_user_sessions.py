"""An admin action ends every signed-in session of one user, and only theirs."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from accounts.models import UserSession
from accounts.user_sessions import end_sessions
from tests.helpers import create_user, sign_in

pytestmark = pytest.mark.django_db


def test_end_sessions_deletes_only_that_user(clock, user):
    first, second = Client(), Client()
    sign_in(first, user)
    clock.shift(30)
    sign_in(second, user)
    other = create_user("bob")
    bob = Client()
    sign_in(bob, other)

    assert end_sessions(user) == 2
    assert first.get(reverse("users:me")).status_code == 302
    assert second.get(reverse("users:me")).status_code == 302
    assert bob.get(reverse("users:me")).status_code == 200
    assert not UserSession.objects.filter(user=user).exists()
    assert UserSession.objects.filter(user=other).count() == 1


def test_end_sessions_without_sessions(clock, user):
    assert end_sessions(user) == 0
    assert not Session.objects.exists()
