"""Re-authentication before security changes: expiry, the two forms, kept form data."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import HASH_SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.urls import reverse

from accounts import recovery
from accounts.models import AuthEvent, EventType, User
from tests.helpers import PASSWORD, code_for, device_of
from tests.security_helpers import issue_codes, reauthenticate

pytestmark = pytest.mark.django_db

PROTECTED = ["users:password", "users:authenticator", "users:recovery-codes"]


@pytest.mark.parametrize("name", PROTECTED)
def test_fresh_sign_in_counts(clock, user_client, name):
    response = user_client.get(reverse(name))

    assert response.status_code == 200


@pytest.mark.parametrize("name", PROTECTED)
def test_reauthentication_expires(clock, user_client, name):
    clock.shift(301)

    response = user_client.get(reverse(name))

    assert response.status_code == 302
    parts = urlsplit(response.url)
    assert parts.path == reverse("users:reauthenticate")
    assert parse_qs(parts.query)["next"] == [reverse(name)]


def test_still_valid_at_the_limit(clock, user_client):
    clock.shift(300)

    assert user_client.get(reverse("users:password")).status_code == 200


def test_setting_changes_the_limit(clock, user_client, settings):
    settings.REAUTHENTICATION_SECONDS = 60
    clock.shift(61)

    assert user_client.get(reverse("users:password")).status_code == 302


def test_anonymous_gets_sign_in(client):
    response = client.get(reverse("users:password"))

    assert response.status_code == 302
    assert urlsplit(response.url).path == reverse("accounts:login")


def test_reauthentication_returns_to_page(clock, user_client, user):
    clock.shift(301)
    target = reverse("users:password")

    response = reauthenticate(user_client, user, next_url=target)

    assert response.status_code == 302
    assert response.url == target
    assert user_client.get(target).status_code == 200
    assert AuthEvent.objects.filter(user=user, event_type=EventType.REAUTHENTICATED).exists()


def test_reauthentication_rejects_outside_next(clock, user_client, user):
    clock.shift(301)

    response = reauthenticate(user_client, user, next_url="https://evil.example/")

    assert response.status_code == 302
    assert response.url == reverse("users:me")


def test_wrong_password_uses_no_code(clock, user_client, user):
    clock.shift(301)
    device = device_of(user)
    last_t = device.last_t

    response = reauthenticate(user_client, user, password="wrong password here")

    assert response.status_code == 200
    assert b"Your password is not correct" in response.content
    device.refresh_from_db()
    assert device.last_t == last_t
    assert user_client.get(reverse("users:password")).status_code == 302


def test_wrong_code_rejected(clock, user_client, user):
    clock.shift(301)

    response = user_client.post(
        reverse("users:reauthenticate"), {"password": PASSWORD, "code": "000000"}
    )

    assert response.status_code == 200
    assert b"That code is not valid" in response.content
    assert user_client.get(reverse("users:password")).status_code == 302


def test_recovery_code_reauthenticates(clock, user_client, user, mailoutbox):
    codes = issue_codes(user)
    clock.shift(301)

    response = user_client.post(
        reverse("users:reauthenticate-recovery") + "?next=/users/me/password/",
        {"password": PASSWORD, "recovery_code": codes[0]},
    )

    assert response.status_code == 302
    assert response.url == "/users/me/password/"
    assert recovery.remaining_count(user) == 9
    assert len(mailoutbox) == 1
    assert user_client.get(reverse("users:password")).status_code == 200


def test_recovery_field_rejects_totp_code(clock, user_client, user):
    issue_codes(user)
    clock.shift(301)

    response = user_client.post(
        reverse("users:reauthenticate-recovery"),
        {"password": PASSWORD, "recovery_code": code_for(device_of(user))},
    )

    assert response.status_code == 200
    assert user_client.get(reverse("users:password")).status_code == 302


def test_totp_field_rejects_recovery_code(clock, user_client, user):
    codes = issue_codes(user)
    clock.shift(301)

    response = user_client.post(
        reverse("users:reauthenticate"), {"password": PASSWORD, "code": codes[0]}
    )

    assert response.status_code == 200
    assert recovery.remaining_count(user) == 10


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"password": "", "code": ""},
        {"password": "x" * 5000, "code": "1" * 5000},
        {"password": "pässwörd\x00", "code": "\uff11\uff12\uff13\uff14\uff15\uff16"},
    ],
)
def test_bad_input_gets_form_errors(clock, user_client, data):
    clock.shift(301)

    response = user_client.post(reverse("users:reauthenticate"), data)

    assert response.status_code == 200
    assert b"errorlist" in response.content


# Email change and kept form data


def test_email_change_needs_reauthentication(clock, user_client, user):
    clock.shift(301)

    response = user_client.post(
        reverse("users:edit-me"), {"full_name": "Alice Liddell", "email": "new@example.com"}
    )

    assert response.status_code == 302
    assert urlsplit(response.url).path == reverse("users:reauthenticate")
    user.refresh_from_db()
    assert user.email == "alice@example.com"


def test_name_change_needs_no_reauthentication(clock, user_client, user):
    clock.shift(301)

    response = user_client.post(
        reverse("users:edit-me"), {"full_name": "Alice Liddell", "email": user.email}
    )

    assert response.status_code == 302
    assert response.url == reverse("users:me")
    user.refresh_from_db()
    assert user.full_name == "Alice Liddell"


def test_form_data_survives_reauthentication(clock, user_client, user):
    clock.shift(301)
    edit = reverse("users:edit-me")
    user_client.post(edit, {"full_name": "Alice Liddell", "email": "new@example.com"})

    back = reauthenticate(user_client, user, next_url=edit)
    page = user_client.get(back.url)

    assert back.url == edit
    assert b'value="new@example.com"' in page.content
    assert b'value="Alice Liddell"' in page.content
    user.refresh_from_db()
    assert user.email == "alice@example.com"


def test_kept_data_is_used_once(clock, user_client, user):
    clock.shift(301)
    edit = reverse("users:edit-me")
    user_client.post(edit, {"full_name": "Alice Liddell", "email": "new@example.com"})
    reauthenticate(user_client, user, next_url=edit)

    user_client.get(edit)
    second = user_client.get(edit)

    assert b"new@example.com" not in second.content


def test_kept_data_leaves_out_passwords(clock, user_client, user):
    clock.shift(301)

    user_client.post(
        reverse("users:password"),
        {
            "old_password": PASSWORD,
            "new_password1": "a brand new secret",
            "csrfmiddlewaretoken": "x",
        },
    )

    stored = user_client.session.get("reauthentication_pending_form")
    assert stored is not None
    assert stored["fields"] == {}
    assert "a brand new secret" not in str(dict(user_client.session.items()))


def test_kept_data_is_saved_after_resubmit(clock, user_client, user):
    clock.shift(301)
    edit = reverse("users:edit-me")
    user_client.post(edit, {"full_name": "Alice Liddell", "email": "new@example.com"})
    reauthenticate(user_client, user, next_url=edit)

    response = user_client.post(edit, {"full_name": "Alice Liddell", "email": "new@example.com"})

    assert response.status_code == 302
    assert User.objects.get(pk=user.pk).email == "new@example.com"


def test_password_rehash_keeps_session(clock, user_client, user):
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    session = user_client.session
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    clock.shift(301)

    assert user_client.get(reverse("users:me")).status_code == 200

    response = reauthenticate(user_client, user, next_url=reverse("users:password"))

    assert response.status_code == 302
    assert response.url == reverse("users:password")
    assert User.objects.get(pk=user.pk).password.startswith("argon2")
    assert user_client.get(reverse("users:password")).status_code == 200


def test_wrong_passwords_lock_out(clock, user_client, user, settings):
    settings.PASSWORD_FAILURE_LIMIT = 3
    settings.AXES_FAILURE_LIMIT = 3
    clock.shift(301)

    responses = [reauthenticate(user_client, user, password="wrong password") for _ in range(3)]
    locked = reauthenticate(user_client, user)

    assert [response.status_code for response in responses[:2]] == [200, 200]
    assert locked.status_code == 429
    assert user_client.get(reverse("users:password")).status_code == 302


def test_wrong_old_password_counts_towards_lockout(clock, user_client, user, settings):
    settings.PASSWORD_FAILURE_LIMIT = 2
    settings.AXES_FAILURE_LIMIT = 2
    data = {"old_password": "wrong", "new_password1": "x" * 20, "new_password2": "x" * 20}

    user_client.post(reverse("users:password"), data)
    user_client.post(reverse("users:password"), data)
    response = user_client.post(reverse("users:password"), data)

    assert response.status_code == 429
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)
