"""Steps shared by the account security tests: recovery codes and re-authentication."""

import re

from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts import recovery
from accounts.models import User
from tests.helpers import PASSWORD, code_for, device_of

CODE_SHAPE = re.compile(r"\b[2-9a-z]{4}-[2-9a-z]{4}-[2-9a-z]{4}\b")


def issue_codes(user: User) -> list[str]:
    """Give ``user`` a new set of recovery codes and return them."""
    return recovery.issue_set(user)


def codes_on_page(response) -> list[str]:
    """Return the recovery codes listed on a page, each once, in order."""
    found = CODE_SHAPE.findall(response.content.decode())
    return list(dict.fromkeys(found))


def submit_recovery_code(client: Client, code: str):
    return client.post(reverse("accounts:recovery"), {"recovery_code": code})


def reauthenticate(client: Client, user: User, password: str = PASSWORD, next_url: str = ""):
    """Pass the re-authentication page with the password and the current TOTP code."""
    url = reverse("users:reauthenticate")
    if next_url:
        url += f"?next={next_url}"
    return client.post(url, {"password": password, "code": code_for(device_of(user))})


def sent_texts() -> list[str]:
    """Return the subject and body of every email sent so far, one string each."""
    return [f"{message.subject}\n{message.body}" for message in mail.outbox]
