"""Changing the password: validation, this session kept, other sessions ended."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from accounts.models import AuthEvent, EventType, User, UserSession
from tests.helpers import PASSWORD, sign_in, submit_password
from tests.security_helpers import sent_texts

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a completely new passphrase"


def change_password(client: Client, old: str = PASSWORD, new: str = NEW_PASSWORD, again=None):
    data = {"old_password": old, "new_password1": new, "new_password2": again or new}
    return client.post(reverse("users:password"), data)


def test_page_has_autocomplete_tokens(clock, user_client):
    response = user_client.get(reverse("users:password"))

    content = response.content.decode()
    assert 'name="old_password" autocomplete="current-password"' in content
    assert 'name="new_password1" autocomplete="new-password"' in content
    assert 'name="new_password2" autocomplete="new-password"' in content


def test_change_keeps_this_session(clock, user_client, user):
    old_key = user_client.session.session_key

    response = change_password(user_client)

    assert response.status_code == 302
    assert response.url == reverse("users:me")
    assert user_client.get(reverse("users:me")).status_code == 200
    assert user_client.session.session_key != old_key
    assert User.objects.get(pk=user.pk).check_password(NEW_PASSWORD)


def test_change_ends_other_sessions(clock, user):
    first, second = Client(), Client()
    sign_in(first, user)
    clock.shift(30)
    sign_in(second, user)
    assert second.get(reverse("users:me")).status_code == 200

    change_password(first)

    assert first.get(reverse("users:me")).status_code == 200
    response = second.get(reverse("users:me"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


def test_change_records_event_and_notice(clock, user_client, user, mailoutbox):
    change_password(user_client)

    assert AuthEvent.objects.filter(user=user, event_type=EventType.PASSWORD_CHANGED).exists()
    assert len(mailoutbox) == 1
    assert "password" in mailoutbox[0].subject.lower()
    for text in sent_texts():
        assert NEW_PASSWORD not in text
        assert PASSWORD not in text


def test_new_password_signs_in(clock, user_client, user):
    change_password(user_client)

    assert submit_password(Client(), user.username, NEW_PASSWORD).status_code == 302
    assert submit_password(Client(), user.username, PASSWORD).status_code == 200


@pytest.mark.parametrize(
    ("old", "new", "again", "message"),
    [
        ("wrong old password", NEW_PASSWORD, None, b"Your old password was entered incorrectly"),
        (PASSWORD, NEW_PASSWORD, "something else entirely", b"didn"),
        (PASSWORD, "short", None, b"too short"),
        (PASSWORD, "password1234", None, b"too common"),
        (PASSWORD, "alice@example.com", None, b"too similar"),
        (PASSWORD, "x" * 2000, None, b"at most 1024"),
    ],
)
def test_invalid_change_rejected(clock, user_client, user, old, new, again, message):
    response = change_password(user_client, old, new, again)

    assert response.status_code == 200
    assert message in response.content
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)


def test_change_without_csrf_token_is_403(clock, user):
    client = Client()
    sign_in(client, user)
    client.handler.enforce_csrf_checks = True

    response = change_password(client)

    assert response.status_code == 403
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)


def test_change_leaves_one_listed_session(clock, user):
    first, second = Client(), Client()
    sign_in(first, user)
    clock.shift(30)
    sign_in(second, user)

    change_password(first)

    rows = list(UserSession.objects.filter(user=user))
    assert len(rows) == 1
    assert rows[0].session_key == first.session.session_key
    assert not Session.objects.filter(session_key=second.session.session_key).exists()
