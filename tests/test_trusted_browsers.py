"""Trusted browsers: the cookie, what voids it, and bad cookies."""

from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from accounts import trusted_browsers
from accounts.models import AuthEvent, EventType, User
from tests.helpers import PASSWORD, code_for, create_user, device_of, submit_password

pytestmark = pytest.mark.django_db

COOKIE = trusted_browsers.COOKIE_NAME


def sign_in_trusting(client: Client, user) -> None:
    """Sign in with the current code and tick "Don't ask for a code on this browser"."""
    submit_password(client, user.username)
    response = client.post(
        reverse("accounts:code"), {"code": code_for(device_of(user)), "trust_browser": "on"}
    )
    assert response.status_code == 302


def sign_out(client: Client) -> None:
    client.post(reverse("accounts:logout"))


def goes_to_code_step(response) -> bool:
    return response.status_code == 302 and response.url == reverse("accounts:code")


def signs_in_directly(response) -> bool:
    return response.status_code == 302 and response.url == reverse("users:me")


def test_checkbox_on_code_step(client, user):
    submit_password(client, user.username)

    response = client.get(reverse("accounts:code"))

    assert b"Don&#x27;t ask for a code on this browser for 30 days" in response.content


def test_cookie_attributes(clock, client, user):
    sign_in_trusting(client, user)

    cookie = client.cookies[COOKIE]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 30 * 24 * 60 * 60
    assert cookie["path"] == reverse("accounts:login")


def test_cookie_secure_unless_debug(clock, client, user, settings):
    settings.SESSION_COOKIE_SECURE = True
    sign_in_trusting(client, user)

    assert client.cookies[COOKIE]["secure"]


def test_cookie_payload_holds_no_password_hash(clock, client, user):
    sign_in_trusting(client, user)

    payload = signing.loads(client.cookies[COOKIE].value, salt=trusted_browsers.SIGNING_SALT)
    assert user.password not in str(payload)
    assert user.password.split("$")[-1] not in str(payload)


def test_no_cookie_without_checkbox(clock, client, user):
    submit_password(client, user.username)
    client.post(reverse("accounts:code"), {"code": code_for(device_of(user))})

    assert COOKIE not in client.cookies or client.cookies[COOKIE].value == ""


def test_trusted_browser_skips_code_step(clock, client, user):
    sign_in_trusting(client, user)
    sign_out(client)

    response = submit_password(client, user.username)

    assert signs_in_directly(response)
    page = client.get(reverse("users:me"))
    assert page.status_code == 200
    assert page.wsgi_request.user.is_verified()
    event = AuthEvent.objects.filter(user=user, event_type=EventType.SIGNIN_SUCCEEDED).first()
    assert event.detail.endswith("trusted browser")


def test_trusted_sign_in_is_no_reauthentication(clock, client, user):
    sign_in_trusting(client, user)
    sign_out(client)
    clock.shift(600)

    submit_password(client, user.username)
    response = client.get(reverse("users:password"))

    assert response.status_code == 302
    assert urlsplit(response.url).path == reverse("users:reauthenticate")


def test_trust_is_per_user(clock, client, user):
    other = create_user("bob")
    sign_in_trusting(client, user)
    sign_out(client)

    assert goes_to_code_step(submit_password(client, other.username))


def test_wrong_password_still_fails(clock, client, user):
    sign_in_trusting(client, user)
    sign_out(client)

    response = submit_password(client, user.username, "not the password")

    assert response.status_code == 200


@pytest.mark.parametrize(
    "value",
    [
        "garbage",
        "",
        "a:b:c",
        "e30:1tZUQy:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "x" * 4000,
        "ünïcödé:x",
        "\x7f\x01",
    ],
)
def test_garbage_cookie_gets_code_step(clock, client, user, value):
    client.cookies[COOKIE] = value

    assert goes_to_code_step(submit_password(client, user.username))


def test_tampered_cookie_gets_code_step(clock, client, user):
    sign_in_trusting(client, user)
    sign_out(client)
    value = client.cookies[COOKIE].value
    payload, rest = value.split(":", 1)
    client.cookies[COOKIE] = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + ":" + rest

    assert goes_to_code_step(submit_password(client, user.username))


def test_cookie_signed_for_another_user_is_ignored(clock, client, user):
    other = create_user("bob")
    payload = trusted_browsers.cookie_payload(other, device_of(other))
    payload["user"] = user.pk
    client.cookies[COOKIE] = signing.dumps(payload, salt=trusted_browsers.SIGNING_SALT)

    assert goes_to_code_step(submit_password(client, user.username))


def test_expired_cookie_gets_code_step(clock, client, user):
    sign_in_trusting(client, user)
    sign_out(client)
    clock.shift(30 * 24 * 60 * 60 + 1)

    assert goes_to_code_step(submit_password(client, user.username))


def test_password_change_voids_trust(clock, client, user):
    sign_in_trusting(client, user)
    new_password = "a completely new passphrase"
    client.post(
        reverse("users:password"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    sign_out(client)

    assert goes_to_code_step(submit_password(client, user.username, new_password))


def test_device_replacement_voids_trust(clock, client, user):
    sign_in_trusting(client, user)
    client.get(reverse("users:authenticator"))
    new = device_of(user, confirmed=False)
    client.post(reverse("users:authenticator"), {"code": code_for(new)})
    sign_out(client)

    assert goes_to_code_step(submit_password(client, user.username))


def test_forget_all_voids_every_browser(clock, user):
    first, second = Client(), Client()
    sign_in_trusting(first, user)
    clock.shift(30)
    sign_in_trusting(second, user)

    response = first.post(reverse("users:forget-browsers"))
    sign_out(first)
    sign_out(second)

    assert response.status_code == 302
    assert goes_to_code_step(submit_password(first, user.username))
    assert goes_to_code_step(submit_password(second, user.username))
    assert AuthEvent.objects.filter(
        user=user, event_type=EventType.TRUSTED_BROWSERS_FORGOTTEN
    ).exists()


def test_forget_needs_post(clock, user_client):
    assert user_client.get(reverse("users:forget-browsers")).status_code == 405


def test_required_new_password_not_skipped(clock, client, user):
    sign_in_trusting(client, user)
    sign_out(client)
    User.objects.filter(pk=user.pk).update(must_change_password=True)

    response = submit_password(client, user.username)

    assert response.status_code == 302
    assert response.url == reverse("accounts:new-password")


def test_staff_are_not_offered_trust(client, admin_user):
    submit_password(client, admin_user.username)

    response = client.get(reverse("accounts:code"))

    assert b"Don&#x27;t ask for a code" not in response.content


def test_staff_always_enter_a_code(clock, client, admin_user):
    sign_in_trusting(client, admin_user)
    sign_out(client)

    response = submit_password(client, admin_user.username)

    assert COOKIE not in client.cookies or not client.cookies[COOKIE].value
    assert goes_to_code_step(response)


def test_trust_ends_when_user_becomes_staff(clock, client, user):
    sign_in_trusting(client, user)
    sign_out(client)
    user.is_staff = True
    user.save()

    response = submit_password(client, user.username)

    assert goes_to_code_step(response)
