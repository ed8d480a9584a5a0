"""Replacing the authenticator app: old device until confirmation, then the new one."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts import recovery
from accounts.models import AuthEvent, EventType, TOTPDevice
from tests.helpers import code_for, device_of, sign_in, submit_code, submit_password
from tests.security_helpers import issue_codes, sent_texts, submit_recovery_code

pytestmark = pytest.mark.django_db


def start_replacement(client: Client, user) -> TOTPDevice:
    response = client.get(reverse("users:authenticator"))
    assert response.status_code == 200
    return device_of(user, confirmed=False)


def confirm_replacement(client: Client, device: TOTPDevice):
    return client.post(reverse("users:authenticator"), {"code": code_for(device)})


def test_page_shows_new_secret(clock, user_client, user):
    old = device_of(user)

    response = user_client.get(reverse("users:authenticator"))

    new = device_of(user, confirmed=False)
    assert new.pk != old.pk
    assert b"<svg" in response.content
    assert b"otpauth://totp/" in response.content


def test_old_device_works_until_confirmed(clock, user_client, user):
    start_replacement(user_client, user)
    clock.shift(30)

    other = Client()
    sign_in(other, user)

    assert other.get(reverse("users:me")).status_code == 200


def test_wrong_code_keeps_old_device(clock, user_client, user):
    old = device_of(user)
    start_replacement(user_client, user)

    response = user_client.post(reverse("users:authenticator"), {"code": code_for(old)})

    assert response.status_code == 200
    assert b"That code is not valid" in response.content
    assert device_of(user).pk == old.pk


def test_confirmation_replaces_device(clock, user_client, user, mailoutbox):
    old = device_of(user)
    new = start_replacement(user_client, user)

    response = confirm_replacement(user_client, new)

    assert response.status_code == 302
    assert list(TOTPDevice.objects.filter(user=user).values_list("pk", flat=True)) == [new.pk]
    page = user_client.get(reverse("users:me"))
    assert page.status_code == 200
    assert page.wsgi_request.user.otp_device.pk == new.pk
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert AuthEvent.objects.filter(user=user, event_type=EventType.DEVICE_REPLACED).exists()
    assert len(mailoutbox) == 1
    new.refresh_from_db()
    assert code_for(new) not in sent_texts()[0]


def test_replacement_ends_other_sessions(clock, user_client, user):
    other = Client()
    clock.shift(30)
    sign_in(other, user)
    new = start_replacement(user_client, user)

    confirm_replacement(user_client, new)

    response = other.get(reverse("users:me"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


def test_replacement_ends_recovery_sessions(clock, user_client, user):
    codes = issue_codes(user)
    other = Client()
    submit_password(other, user.username)
    submit_recovery_code(other, codes[0])
    assert other.get(reverse("users:me")).status_code == 200
    new = start_replacement(user_client, user)

    confirm_replacement(user_client, new)

    assert other.get(reverse("users:me")).status_code == 302
    assert recovery.remaining_count(user) == 9


def test_old_codes_rejected_after_replacement(clock, user_client, user):
    old = device_of(user)
    new = start_replacement(user_client, user)
    confirm_replacement(user_client, new)
    clock.shift(30)

    client = Client()
    submit_password(client, user.username)
    response = submit_code(client, code_for(old))
    clock.shift(2)

    assert response.status_code == 200
    assert submit_code(client, code_for(device_of(user))).status_code == 302


def test_confirmation_code_cannot_sign_in_again(clock, user_client, user):
    new = start_replacement(user_client, user)
    code = code_for(new)
    confirm_replacement(user_client, new)

    client = Client()
    submit_password(client, user.username)
    response = submit_code(client, code)

    assert response.status_code == 200
    assert b"already used" in response.content
