"""Security events are logged with user id and address, never with secrets."""

import logging

import pytest

from accounts.models import AuthEvent, EventType
from tests.helpers import PASSWORD, code_for, device_of, submit_code, submit_password

pytestmark = pytest.mark.django_db


def test_signin_logs_steps_without_secrets(client, user, clock, caplog):
    caplog.set_level(logging.INFO, logger="accounts")
    code = code_for(device_of(user))
    secret_hex = device_of(user).bin_key.hex()

    submit_password(client, "alice", "wrong password here")
    submit_password(client, "alice")
    submit_code(client, code)

    text = caplog.text
    assert "password_failed" in text
    assert "password_passed" in text
    assert "signin_succeeded" in text
    assert f"user {user.pk}" in text
    assert "127.0.0.1" in text
    assert PASSWORD not in text
    assert "wrong password here" not in text
    assert code not in text
    assert secret_hex not in text


def test_signin_writes_audit_rows(client, user, clock):
    submit_password(client, "alice", "wrong password here")
    submit_password(client, "alice")
    submit_code(client, "000000" if code_for(device_of(user)) != "000000" else "111111")
    clock.shift(30)
    submit_code(client, code_for(device_of(user)))

    types = list(AuthEvent.objects.order_by("pk").values_list("event_type", flat=True))
    assert types == [
        EventType.PASSWORD_FAILED,
        EventType.PASSWORD_PASSED,
        EventType.CODE_FAILED,
        EventType.SIGNIN_SUCCEEDED,
    ]
    failed = AuthEvent.objects.get(event_type=EventType.PASSWORD_FAILED)
    assert failed.username == "alice"
    assert failed.client_address == "127.0.0.1"
    assert not failed.succeeded


def test_control_characters_in_username_are_escaped_in_log(client, db, caplog):
    caplog.set_level(logging.INFO, logger="accounts")

    submit_password(client, "evil\nFAKE LOG LINE", "whatever password")

    assert "evil\\nFAKE LOG LINE" in caplog.text
    assert "\nFAKE LOG LINE" not in caplog.text
