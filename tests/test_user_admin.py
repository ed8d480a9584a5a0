"""Admins change role, deactivate, reactivate and reset two-factor of other accounts."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from accounts.models import AuthEvent, EventType, Invitation, Role, TOTPDevice, User, UserSession
from tests.helpers import (
    code_for,
    create_user,
    device_of,
    sign_in,
    submit_code,
    submit_password,
)

pytestmark = pytest.mark.django_db

ACTIONS = ["users:role", "users:deactivate", "users:reactivate", "users:reset-two-factor"]
MANAGEMENT_URLS = [*ACTIONS, "users:invite", "users:detail"]


def url(name: str, account: User) -> str:
    return reverse(name, args=[account.pk])


def snapshot(account: User) -> dict:
    """Return every fact an admin action could change about ``account``."""
    account.refresh_from_db()
    return {
        "role": account.role,
        "is_active": account.is_active,
        "password": account.password,
        "devices": list(TOTPDevice.objects.filter(user=account).values_list("pk", flat=True)),
        "invitations": Invitation.objects.filter(user=account).count(),
        "sessions": UserSession.objects.filter(user=account).count(),
    }


def event_detail(event_type: EventType, account: User) -> str:
    return AuthEvent.objects.get(event_type=event_type, user=account).detail


@pytest.fixture
def second_admin(db):
    return create_user("helen", role=Role.ADMIN)


# Access


@pytest.mark.parametrize("name", MANAGEMENT_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_non_admin_gets_403(clock, user_client, user, admin_user, name, method):
    before = snapshot(admin_user)

    response = getattr(user_client, method)(url(name, admin_user), {"role": "user"})
    assert response.status_code == 403
    assert snapshot(admin_user) == before


@pytest.mark.parametrize("name", MANAGEMENT_URLS)
def test_anonymous_sent_to_sign_in(clock, admin_user, name):
    response = Client().post(url(name, admin_user), {"role": "user"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    admin_user.refresh_from_db()
    assert admin_user.is_admin


@pytest.mark.parametrize("name", ACTIONS)
def test_get_changes_nothing(clock, admin_client, user, name):
    user_session = Client()
    sign_in(user_session, user)
    User.objects.filter(pk=user.pk).update(is_active=name != "users:reactivate")
    before = snapshot(user)

    response = admin_client.get(url(name, user))
    assert response.status_code == 200
    assert b'method="post"' in response.content
    assert snapshot(user) == before


@pytest.mark.parametrize("name", MANAGEMENT_URLS)
def test_unknown_user_is_404(clock, admin_client, name):
    response = admin_client.get(reverse(name, args=[999999]))
    assert response.status_code == 404


@pytest.mark.parametrize("name", ACTIONS)
def test_post_without_csrf_rejected(clock, admin_user, user, name):
    signed_in = Client()
    sign_in(signed_in, admin_user)
    client = Client(enforce_csrf_checks=True)
    client.cookies = signed_in.cookies
    before = snapshot(user)

    response = client.post(url(name, user), {"role": "admin"})
    assert response.status_code == 403
    assert snapshot(user) == before


# Role


def test_admin_promotes_user(clock, admin_client, user):
    response = admin_client.post(url("users:role", user), {"role": "admin"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_admin
    assert event_detail(EventType.ROLE_CHANGED, user) == "user to admin by root"


@pytest.mark.parametrize("role", ["", "superuser", "ADMIN", "admin\x00", "x" * 10000, "ü"])
def test_invalid_role_rejected(clock, admin_client, user, role):
    response = admin_client.post(url("users:role", user), {"role": role})

    assert response.status_code == 400
    assert b"errorlist" in response.content
    user.refresh_from_db()
    assert user.role == Role.USER


def test_same_role_is_no_change(clock, admin_client, user):
    response = admin_client.post(url("users:role", user), {"role": "user"})

    assert response.status_code == 302
    assert not AuthEvent.objects.filter(event_type=EventType.ROLE_CHANGED).exists()


def test_last_admin_cannot_demote_self(clock, admin_client, admin_user):
    response = admin_client.post(url("users:role", admin_user), {"role": "user"})

    assert response.status_code == 409
    assert b"only active admin" in response.content
    admin_user.refresh_from_db()
    assert admin_user.is_admin


def test_last_admin_cannot_deactivate_self(clock, admin_client, admin_user):
    response = admin_client.post(url("users:deactivate", admin_user))

    assert response.status_code == 409
    assert b"only active admin" in response.content
    admin_user.refresh_from_db()
    assert admin_user.is_active
    assert admin_client.get(reverse("users:list")).status_code == 200


def test_deactivated_admin_does_not_count(clock, admin_client, admin_user, second_admin):
    User.objects.filter(pk=second_admin.pk).update(is_active=False)

    response = admin_client.post(url("users:role", admin_user), {"role": "user"})
    assert response.status_code == 409


def test_other_admin_can_demote(clock, admin_user, second_admin):
    client = Client()
    sign_in(client, second_admin)

    response = client.post(url("users:role", admin_user), {"role": "user"})
    assert response.status_code == 302
    admin_user.refresh_from_db()
    assert admin_user.role == Role.USER
    assert event_detail(EventType.ROLE_CHANGED, admin_user) == "admin to user by helen"


def test_other_admin_can_deactivate(clock, admin_user, second_admin):
    client = Client()
    sign_in(client, second_admin)

    response = client.post(url("users:deactivate", admin_user))
    assert response.status_code == 302
    admin_user.refresh_from_db()
    assert not admin_user.is_active


def test_admin_can_demote_self_when_another_remains(clock, admin_client, admin_user, second_admin):
    response = admin_client.post(url("users:role", admin_user), {"role": "user"})

    assert response.status_code == 302
    assert response.url == reverse("users:me")
    assert admin_client.get(reverse("users:list")).status_code == 403


# Deactivation


def test_deactivation_ends_session(clock, admin_client, user):
    alice = Client()
    sign_in(alice, user)
    assert alice.get(reverse("users:me")).status_code == 200
    session_key = alice.session.session_key

    response = admin_client.post(url("users:deactivate", user))
    assert response.status_code == 302

    # The user's next request finds no session.
    response = alice.get(reverse("users:me"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert not Session.objects.filter(session_key=session_key).exists()
    assert not UserSession.objects.filter(user=user).exists()
    assert "by root, 1 session(s) ended" in event_detail(EventType.USER_DEACTIVATED, user)


def test_deactivated_user_cannot_sign_in(clock, admin_client, user):
    admin_client.post(url("users:deactivate", user))

    response = submit_password(Client(), "alice")
    assert response.status_code == 200
    assert b"form-errors" in response.content


def test_deactivation_stops_pending_sign_in(clock, admin_client, user):
    alice = Client()
    submit_password(alice, "alice")
    admin_client.post(url("users:deactivate", user))

    response = submit_code(alice, code_for(device_of(user)))
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert alice.get(reverse("users:me")).status_code == 302


def test_reactivation_allows_sign_in(clock, admin_client, user):
    admin_client.post(url("users:deactivate", user))

    response = admin_client.post(url("users:reactivate", user))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_active
    assert event_detail(EventType.USER_REACTIVATED, user) == "by root"
    sign_in(Client(), user)


def test_admin_deactivating_self_is_signed_out(clock, admin_client, admin_user, second_admin):
    response = admin_client.post(url("users:deactivate", admin_user))

    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert admin_client.get(reverse("users:me")).status_code == 302


def test_already_deactivated_is_no_change(clock, admin_client, user):
    admin_client.post(url("users:deactivate", user))
    response = admin_client.post(url("users:deactivate", user))

    assert response.status_code == 302
    assert AuthEvent.objects.filter(event_type=EventType.USER_DEACTIVATED).count() == 1


# Two-factor reset


def test_reset_makes_user_enrol_again(clock, admin_client, user):
    alice = Client()
    sign_in(alice, user)
    TOTPDevice.objects.create(user=user, name="Unconfirmed", confirmed=False)
    session_key = alice.session.session_key

    response = admin_client.post(url("users:reset-two-factor", user))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    detail = event_detail(EventType.TWO_FACTOR_RESET, user)
    assert detail == "by root, 2 device(s) deleted, 1 session(s) ended"

    # The open session has ended.
    assert not Session.objects.filter(session_key=session_key).exists()
    assert alice.get(reverse("users:me")).status_code == 302

    # The next sign-in goes to enrolment, and a new device signs in.
    client = Client()
    response = submit_password(client, "alice")
    assert response.url == reverse("accounts:enrol")
    client.get(reverse("accounts:enrol"))
    submit_code(client, code_for(device_of(user, confirmed=False)), "accounts:enrol")
    assert client.get(reverse("users:me")).status_code == 200


def test_reset_own_two_factor_signs_out(clock, admin_client, admin_user):
    response = admin_client.post(url("users:reset-two-factor", admin_user))

    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert admin_client.get(reverse("users:list")).status_code == 302
    assert not TOTPDevice.objects.filter(user=admin_user).exists()


# Detail page


def test_detail_links_to_actions(clock, admin_client, user):
    response = admin_client.get(url("users:detail", user))

    for name in ("users:role", "users:deactivate", "users:reset-two-factor"):
        assert url(name, user).encode() in response.content
    assert url("users:reactivate", user).encode() not in response.content
    assert url("users:invite", user).encode() not in response.content


def test_user_list_pages(clock, admin_client):
    User.objects.bulk_create(
        User(username=f"user{number:03d}", email=f"user{number:03d}@example.com")
        for number in range(60)
    )

    response = admin_client.get(reverse("users:list"))
    assert response.status_code == 200
    assert b"Page 1 of 2" in response.content
