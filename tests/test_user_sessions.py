"""Signed-in sessions are tracked per user, so that they can be ended."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from accounts.models import UserSession
from accounts.user_sessions import end_sessions
from tests.helpers import create_user, sign_in

pytestmark = pytest.mark.django_db


def test_sign_in_records_session(clock, user):
    client = Client()
    sign_in(client, user)

    row = UserSession.objects.get(user=user)
    assert row.session_key == client.session.session_key


def test_pending_sign_in_not_recorded(clock, user):
    client = Client()
    client.post(reverse("accounts:login"), {"username": "alice", "password": "wrong"})

    assert not UserSession.objects.exists()


def test_sign_out_forgets_session(clock, user):
    client = Client()
    sign_in(client, user)
    client.post(reverse("accounts:logout"))

    assert not UserSession.objects.filter(user=user).exists()


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
    assert UserSession.objects.filter(user=other).count() == 1


def test_ended_sessions_pruned_at_sign_in(clock, user):
    first = Client()
    sign_in(first, user)
    Session.objects.all().delete()

    clock.shift(30)
    sign_in(Client(), user)
    assert UserSession.objects.filter(user=user).count() == 1
