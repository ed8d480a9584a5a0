"""The two sign-in steps: password, then a code or enrolment."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from accounts import signin
from tests.helpers import (
    PASSWORD,
    START,
    code_for,
    create_user,
    device_of,
    sign_in,
    submit_code,
    submit_password,
)

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
CODE = reverse("accounts:code")
ENROL = reverse("accounts:enrol")
PROFILE = reverse("users:me")


def test_password_step_leads_to_code_step(client, user, clock):
    response = submit_password(client, "alice")

    assert response.status_code == 302
    assert response.url == CODE
    assert SESSION_KEY not in client.session


def test_valid_code_signs_in(client, user, clock):
    submit_password(client, "alice")

    response = submit_code(client, code_for(device_of(user)))

    assert response.status_code == 302
    assert response.url == PROFILE
    assert client.session[SESSION_KEY] == str(user.pk)
    assert client.get(PROFILE).status_code == 200


def test_username_matches_in_any_case(client, user, clock):
    response = submit_password(client, "ALICE")

    assert response.status_code == 302
    assert response.url == CODE


def test_wrong_password_is_rejected(client, user):
    response = submit_password(client, "alice", "not the password at all")

    assert response.status_code == 200
    assert b"The username or password is not correct" in response.content
    assert signin.PENDING_USER_ID not in client.session


def test_unknown_user_gets_same_message(client, db):
    response = submit_password(client, "nobody", "not the password at all")

    assert response.status_code == 200
    assert b"The username or password is not correct" in response.content


def test_inactive_user_cannot_start(client, clock):
    create_user("bob", is_active=False)

    response = submit_password(client, "bob")

    assert response.status_code == 200
    assert signin.PENDING_USER_ID not in client.session


def test_wrong_code_is_rejected(client, user, clock):
    submit_password(client, "alice")
    good = code_for(device_of(user))
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"

    response = submit_code(client, wrong)

    assert response.status_code == 200
    assert b"That code is not valid" in response.content
    assert SESSION_KEY not in client.session


def test_code_from_other_step_window_is_rejected(client, user, clock):
    submit_password(client, "alice")
    old_code = code_for(device_of(user), at=START.timestamp() - 300)

    response = submit_code(client, old_code)

    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_replayed_code_is_rejected(user, clock):
    first = Client()
    sign_in(first, user)
    used_code = code_for(device_of(user))

    second = Client()
    submit_password(second, "alice")
    response = submit_code(second, used_code)

    assert response.status_code == 200
    assert b"already used" in response.content
    assert SESSION_KEY not in second.session


def test_next_code_after_replay_window_works(user, clock):
    sign_in(Client(), user)
    clock.shift(30)

    client = Client()
    sign_in(client, user)

    assert client.get(PROFILE).status_code == 200


def test_throttle_message_says_how_long_to_wait(client, user, clock):
    submit_password(client, "alice")
    good = code_for(device_of(user))
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    # django-otp doubles the wait after each failure: 1, 2, then 4 seconds.
    submit_code(client, wrong)
    clock.shift(1)
    submit_code(client, wrong)
    clock.shift(2)
    submit_code(client, wrong)

    response = submit_code(client, good)

    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert b"Wait 4 seconds before the next try" in response.content


def test_throttled_code_is_not_called_wrong(client, user, clock):
    submit_password(client, "alice")
    good = code_for(device_of(user))
    submit_code(client, f"{(int(good) + 1) % 1_000_000:06d}")

    response = submit_code(client, good)

    assert response.status_code == 200
    assert b"not checked because of earlier wrong codes" in response.content
    assert b"That code is not valid" not in response.content
    assert b"Wait 1 second before the next try" in response.content
    assert SESSION_KEY not in client.session


def test_throttle_lifts_after_waiting(client, user, clock):
    submit_password(client, "alice")
    device = device_of(user)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    submit_code(client, wrong)
    submit_code(client, wrong)

    clock.shift(30)
    response = submit_code(client, code_for(device_of(user)))

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)


def test_pending_signin_expires(client, user, clock):
    submit_password(client, "alice")
    clock.shift(301)

    response = submit_code(client, code_for(device_of(user)))

    assert response.status_code == 302
    assert response.url == LOGIN
    assert SESSION_KEY not in client.session
    follow = client.get(LOGIN)
    assert b"Your sign-in timed out" in follow.content


def test_pending_signin_within_timeout_works(client, user, clock):
    submit_password(client, "alice")
    clock.shift(290)

    response = submit_code(client, code_for(device_of(user)))

    assert response.status_code == 302
    assert response.url == PROFILE


def test_pending_state_holds_no_password(client, user, clock):
    submit_password(client, "alice")

    stored = repr(dict(client.session.items()))

    assert PASSWORD not in stored
    assert user.password not in stored
    assert set(client.session.keys()) == set(signin.PENDING_KEYS)


def test_session_key_rotates_after_each_step(client, user, clock):
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key

    submit_password(client, "alice")
    after_password = client.session.session_key
    submit_code(client, code_for(device_of(user)))
    after_code = client.session.session_key

    assert before != after_password
    assert after_password != after_code


def test_password_change_during_pending_ends_it(client, user, clock):
    submit_password(client, "alice")
    user.set_password("another long passphrase here")
    user.save()

    response = submit_code(client, code_for(device_of(user)))

    assert response.status_code == 302
    assert response.url == LOGIN
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize("path", [PROFILE, reverse("users:create"), reverse("users:list")])
def test_password_only_session_cannot_reach_pages(client, clock, path):
    create_user("root", role="admin", is_staff=True, is_superuser=True)
    submit_password(client, "root")

    response = client.get(path)

    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_password_only_session_cannot_reach_admin(client, clock):
    create_user("root", role="admin", is_staff=True, is_superuser=True)
    submit_password(client, "root")

    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0].startswith(LOGIN)
    assert b"Step 1 of 2" in response.content


def test_code_step_without_pending_goes_to_login(client, db):
    assert client.get(CODE).url == LOGIN
    assert client.get(ENROL).url == LOGIN


def test_next_is_honoured_after_both_steps(client, clock):
    admin = create_user("root", role="admin")
    client.get(LOGIN + "?next=/users/")
    response = submit_password(client, "root", next="/users/")
    assert response.url == CODE

    response = submit_code(client, code_for(device_of(admin)))

    assert response.url == "/users/"


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "https://evil.example/",
        "http://evil.example/users/",
        "javascript:alert(1)",
        "/\\evil.example",
        "https:///evil.example",
    ],
)
def test_offsite_next_is_ignored(client, user, clock, target):
    submit_password(client, "alice", next=target)

    response = submit_code(client, code_for(device_of(user)))

    assert response.status_code == 302
    assert response.url == PROFILE


def test_offsite_next_is_not_rendered(client, db):
    response = client.get(LOGIN, {"next": "https://evil.example/"})

    assert b"evil.example" not in response.content


def test_signed_in_user_visiting_login_goes_to_profile(user_client):
    response = user_client.get(LOGIN)

    assert response.status_code == 302
    assert response.url == PROFILE


def test_signin_pages_are_not_cacheable(client, user, clock):
    response = client.get(LOGIN)
    assert "no-store" in response["Cache-Control"]

    submit_password(client, "alice")
    response = client.get(CODE)
    assert "no-store" in response["Cache-Control"]


def test_code_field_has_standard_attributes(client, user, clock):
    submit_password(client, "alice")

    html = client.get(CODE).content.decode()

    assert 'autocomplete="one-time-code"' in html
    assert 'inputmode="numeric"' in html
    assert 'name="code"' in html


def test_login_fields_have_standard_autocomplete(client, db):
    html = client.get(LOGIN).content.decode()

    assert 'autocomplete="username"' in html
    assert 'autocomplete="current-password"' in html
