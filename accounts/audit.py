"""Recording security events in the audit log and the application log."""

import ipaddress
import logging

from django.http import HttpRequest

from accounts.client import client_address, user_agent
from accounts.escaping import visible_controls
from accounts.models import AuthEvent, EventType, User

logger = logging.getLogger(__name__)

USERNAME_LENGTH = AuthEvent._meta.get_field("username").max_length
DETAIL_LENGTH = AuthEvent._meta.get_field("detail").max_length


def record(
    event_type: EventType,
    request: HttpRequest | None,
    *,
    user: User | None = None,
    username: str = "",
    succeeded: bool = True,
    detail: str = "",
) -> AuthEvent:
    """Store one security event and log it.

    ``username`` defaults to the user's username; pass what was typed when no
    user is known. Never pass a password, code or secret in ``detail``.
    """
    if user is not None and not username:
        username = user.get_username()
    # SECURITY: text typed by clients is stored as typed, except NUL, which
    # PostgreSQL cannot store; pages and log lines show it escaped.
    username = username.replace("\x00", "\ufffd")
    detail = detail.replace("\x00", "\ufffd")

    address = client_address(request) if request is not None else ""
    event = AuthEvent.objects.create(
        event_type=event_type,
        user=user,
        username=username[:USERNAME_LENGTH],
        succeeded=succeeded,
        client_address=valid_address(address),
        user_agent=user_agent(request) if request is not None else "",
        detail=detail[:DETAIL_LENGTH],
    )

    level = logging.INFO if succeeded else logging.WARNING
    logger.log(
        level,
        "%s %s: user %s, username %r, from %s%s",
        event_type.value,
        "succeeded" if succeeded else "failed",
        user.pk if user is not None else None,
        username[:USERNAME_LENGTH],
        address or "-",
        f", {visible_controls(detail)}" if detail else "",
    )
    return event


def valid_address(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
