"""Emails that tell a user about a change to how they sign in.

Each notice states what happened, when and from which address, and what to do
if it was not the user. No notice contains a password, code or secret.
A notice that cannot be sent is logged and does not undo the change.
"""

import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.client import client_address
from accounts.models import User

logger = logging.getLogger(__name__)


def send_notice(user: User, request: HttpRequest, template: str, extra: dict | None = None) -> None:
    """Render ``templates/emails/<template>_subject.txt`` and ``_body.txt`` and send them."""
    if not user.email:
        return

    context = {
        "user": user,
        "site_name": settings.SITE_NAME,
        "when": timezone.now(),
        "client_address": client_address(request) or "-",
        **(extra or {}),
    }
    subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
    body = render_to_string(f"emails/{template}_body.txt", context)

    try:
        send_mail(subject, body, None, [user.email])
    except (OSError, smtplib.SMTPException) as error:
        logger.error("Could not send the %s notice to user %s: %s", template, user.pk, error)
        return
    logger.info("Sent the %s notice to user %s.", template, user.pk)


def password_changed(user: User, request: HttpRequest) -> None:
    send_notice(user, request, "password_changed")


def authenticator_replaced(user: User, request: HttpRequest) -> None:
    send_notice(user, request, "authenticator_replaced")


def recovery_codes_regenerated(user: User, request: HttpRequest) -> None:
    send_notice(user, request, "recovery_codes_regenerated")


def recovery_code_used(user: User, request: HttpRequest, remaining: int) -> None:
    send_notice(user, request, "recovery_code_used", {"remaining": remaining})
