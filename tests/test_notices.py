"""Security notices: one email per event, with no code, password or secret in it."""

import pytest
from django.test import RequestFactory

from accounts import notices
from tests.helpers import PASSWORD, code_for, device_of
from tests.security_helpers import issue_codes, sent_texts

pytestmark = pytest.mark.django_db

NOTICES = [
    (notices.password_changed, {}, "password"),
    (notices.authenticator_replaced, {}, "authenticator"),
    (notices.recovery_codes_regenerated, {}, "recovery codes"),
    (notices.recovery_code_used, {"remaining": 4}, "recovery code"),
]


@pytest.mark.parametrize(("send", "extra", "subject_word"), NOTICES)
def test_notice_sent_to_user(user, mailoutbox, send, extra, subject_word):
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7")

    send(user, request, **extra)

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["alice@example.com"]
    assert subject_word in mailoutbox[0].subject.lower()
    assert "192.0.2.7" in mailoutbox[0].body
    assert "&amp;" not in mailoutbox[0].body


@pytest.mark.parametrize(("send", "extra", "subject_word"), NOTICES)
def test_notice_contains_no_secret(user, mailoutbox, send, extra, subject_word):
    codes = issue_codes(user)
    device = device_of(user)
    secrets = [*codes, *(code.replace("-", "") for code in codes), code_for(device), PASSWORD]

    send(user, RequestFactory().get("/"), **extra)

    for text in sent_texts():
        for secret in secrets:
            assert secret not in text
        assert device.encrypted_key not in text


def test_user_without_email_gets_none(user, mailoutbox):
    user.email = ""

    notices.password_changed(user, RequestFactory().get("/"))

    assert mailoutbox == []


def test_failed_sending_is_logged(user, settings, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9
    settings.EMAIL_TIMEOUT = 5

    notices.password_changed(user, RequestFactory().get("/"))

    assert "Could not send the password_changed notice to user" in caplog.text
