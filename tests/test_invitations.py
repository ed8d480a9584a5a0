"""Invitations: a user created without a password chooses one by a single-use link."""

import hashlib
import socket
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts import invitations
from accounts.models import AuthEvent, EventType, Invitation, User
from tests.helpers import code_for, create_user, device_of, submit_code, submit_password
from tests.invitation_steps import (
    NEW_PASSWORD,
    choose_password,
    invite,
    last_email_link,
    link_path,
    new_user_data,
)

pytestmark = pytest.mark.django_db


def token_of(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1]


def test_create_without_password_invites(clock, admin_client):
    bob, path = invite(admin_client)

    assert not bob.has_usable_password()
    assert not bob.must_change_password
    invitation = Invitation.objects.get(user=bob)
    assert invitation.digest == hashlib.sha256(token_of(path).encode()).hexdigest()
    assert invitation.created_by.username == "root"
    assert invitation.expires_at - invitation.created_at == timedelta(hours=72)
    assert AuthEvent.objects.filter(event_type=EventType.INVITATION_CREATED, user=bob).exists()


def test_invitation_token_not_stored(clock, admin_client):
    _bob, path = invite(admin_client)
    token = token_of(path)

    stored = Invitation.objects.values_list("digest", flat=True)
    assert token not in list(stored)
    details = AuthEvent.objects.values_list("detail", flat=True)
    assert not any(token in detail for detail in details)


def test_invitation_email_has_link_only(clock, admin_client):
    bob, path = invite(admin_client)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["bob@example.com"]
    assert last_email_link() == path
    assert "bob" in message.body
    assert "72 hours" in message.body

    # Nothing secret besides the link: no digest, no token outside the link.
    digest = Invitation.objects.get(user=bob).digest
    token = token_of(path)
    assert digest not in message.body
    assert message.body.count(token) == 1
    assert token not in message.subject


def test_invitation_page_shows_link_once(clock, admin_client):
    bob, path = invite(admin_client)

    response = admin_client.get(reverse("users:detail", args=[bob.pk]))
    assert response.status_code == 200
    assert token_of(path).encode() not in response.content
    assert b"invitation valid until" in response.content


def test_accept_sets_password_then_enrols(clock, admin_client):
    bob, path = invite(admin_client)
    client = Client()

    # The link opens a new-password form.
    response = client.get(path)
    assert response.status_code == 200
    assert b'autocomplete="new-password"' in response.content

    # Choosing a password starts a pending sign-in, not a signed-in session.
    response = choose_password(client, path)
    assert response.status_code == 302
    assert response.url == reverse("accounts:enrol")
    bob.refresh_from_db()
    assert bob.check_password(NEW_PASSWORD)
    assert client.get(reverse("users:me")).status_code == 302
    assert AuthEvent.objects.filter(event_type=EventType.INVITATION_ACCEPTED, user=bob).exists()

    # Enrolment with a valid code signs the user in and shows recovery codes.
    client.get(reverse("accounts:enrol"))
    response = submit_code(client, code_for(device_of(bob, confirmed=False)), "accounts:enrol")
    assert response.status_code == 200
    assert b"Your recovery codes" in response.content
    assert client.get(reverse("users:me")).status_code == 200


def test_link_works_once(clock, admin_client):
    bob, path = invite(admin_client)
    assert choose_password(Client(), path).status_code == 302

    response = Client().get(path)
    assert response.status_code == 410
    assert b"already used" in response.content

    response = choose_password(Client(), path, "another long passphrase here")
    assert response.status_code == 410
    bob.refresh_from_db()
    assert bob.check_password(NEW_PASSWORD)


def test_link_expires(clock, admin_client):
    _bob, path = invite(admin_client)

    clock.shift(timedelta(hours=72) - timedelta(seconds=1))
    assert Client().get(path).status_code == 200

    clock.shift(timedelta(seconds=1))
    response = Client().get(path)
    assert response.status_code == 410
    assert b"expired" in response.content
    assert choose_password(Client(), path).status_code == 410


def test_link_hours_follow_setting(clock, admin_client, settings):
    settings.INVITATION_HOURS = 2
    _bob, path = invite(admin_client)

    clock.shift(timedelta(hours=2))
    assert Client().get(path).status_code == 410


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: token[:-1],
        lambda token: token + "x",
        lambda token: token.upper(),
        lambda token: "x" * 5000,
        lambda token: "ü" + token[1:],
        lambda token: token[:5] + "%00" + token[5:],
    ],
)
def test_tampered_token_is_404(clock, admin_client, tamper):
    bob, path = invite(admin_client)
    token = token_of(path)
    bad_path = path.replace(token, tamper(token))

    response = Client().get(bad_path)
    assert response.status_code == 404
    response = choose_password(Client(), bad_path)
    assert response.status_code == 404
    bob.refresh_from_db()
    assert not bob.has_usable_password()


def test_new_invitation_voids_older(clock, admin_client):
    bob, first_path = invite(admin_client)

    response = admin_client.post(reverse("users:invite", args=[bob.pk]))
    assert response.status_code == 200
    second_path = link_path(response.content.decode())
    assert second_path != first_path
    assert last_email_link() == second_path

    response = Client().get(first_path)
    assert response.status_code == 410
    assert b"newer invitation" in response.content
    assert choose_password(Client(), second_path).status_code == 302


def test_resend_get_changes_nothing(clock, admin_client):
    bob, _path = invite(admin_client)
    mail.outbox.clear()

    response = admin_client.get(reverse("users:invite", args=[bob.pk]))
    assert response.status_code == 200
    assert Invitation.objects.filter(user=bob).count() == 1
    assert mail.outbox == []


def test_resend_refused_with_password(clock, admin_client, user):
    response = admin_client.post(reverse("users:invite", args=[user.pk]))

    assert response.status_code == 409
    assert b"already has a password" in response.content
    assert not Invitation.objects.filter(user=user).exists()
    assert mail.outbox == []


def test_resend_refused_when_deactivated(clock, admin_client):
    bob, path = invite(admin_client)
    User.objects.filter(pk=bob.pk).update(is_active=False)

    response = admin_client.post(reverse("users:invite", args=[bob.pk]))
    assert response.status_code == 409
    assert Client().get(path).status_code == 410


def test_link_spent_once_password_set_elsewhere(clock, admin_client):
    bob, path = invite(admin_client)
    bob.set_password("set in the django admin")
    bob.save()

    assert Client().get(path).status_code == 410


@pytest.mark.parametrize(
    ("password1", "password2"),
    [
        ("short", "short"),
        ("bob@example.com", "bob@example.com"),
        ("123456789012345", "123456789012345"),
        (NEW_PASSWORD, NEW_PASSWORD + "!"),
        ("", ""),
        ("x" * 2000, "x" * 2000),
    ],
)
def test_accept_rejects_bad_password(clock, admin_client, password1, password2):
    bob, path = invite(admin_client)
    client = Client()

    response = client.post(path, {"new_password1": password1, "new_password2": password2})
    assert response.status_code == 400
    assert b"errorlist" in response.content
    bob.refresh_from_db()
    assert not bob.has_usable_password()
    assert Invitation.objects.get(user=bob).used_at is None


def test_signed_in_visitor_told_to_sign_out(clock, admin_client):
    bob, path = invite(admin_client)

    response = admin_client.get(path)
    assert response.status_code == 200
    assert b"Sign out first" in response.content
    response = choose_password(admin_client, path)
    assert response.status_code == 200
    bob.refresh_from_db()
    assert not bob.has_usable_password()


def test_accept_twice_second_fails(clock, admin_client, rf):
    bob, path = invite(admin_client)
    lookup = invitations.find(token_of(path))
    request = rf.post(path)

    assert invitations.accept(lookup.invitation, NEW_PASSWORD, request) is not None
    assert invitations.accept(lookup.invitation, "another long passphrase", request) is None
    bob.refresh_from_db()
    assert bob.check_password(NEW_PASSWORD)


def test_link_uses_site_base_url(clock, admin_client, settings):
    settings.SITE_BASE_URL = "https://accounts.example.org"
    admin_client.post(reverse("users:create"), new_user_data("bob"))

    assert "https://accounts.example.org/accounts/invitation/" in mail.outbox[0].body


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_email_failure_still_shows_link(clock, admin_client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = unused_port()

    response = admin_client.post(reverse("users:create"), new_user_data("bob"))
    assert response.status_code == 200
    assert b"could not be sent" in response.content
    assert choose_password(Client(), link_path(response.content.decode())).status_code == 302


def test_one_password_field_rejected(clock, admin_client):
    response = admin_client.post(
        reverse("users:create"), new_user_data("bob", password1=NEW_PASSWORD)
    )

    assert response.status_code == 200
    assert b"leave both password fields empty" in response.content
    assert not User.objects.filter(username="bob").exists()
    assert mail.outbox == []


def test_invited_user_cannot_sign_in_before_accepting(clock, admin_client):
    invite(admin_client)

    response = submit_password(Client(), "bob", "")
    assert response.status_code == 200
    response = submit_password(Client(), "bob", NEW_PASSWORD)
    assert response.status_code == 200


def test_invited_admin_keeps_role(clock, admin_client):
    admin_client.post(reverse("users:create"), new_user_data("carol", role="admin"))

    carol = User.objects.get(username="carol")
    assert carol.is_admin
    assert Invitation.objects.filter(user=carol).exists()


def test_existing_user_unaffected(clock, user):
    create_user("dave")
    assert not Invitation.objects.exists()
