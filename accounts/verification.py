"""Checking one-time codes against a user's TOTP device.

Each step has its own function: ``normalize_code`` parses what was typed,
``throttle_wait_seconds`` reads django-otp's throttle, and ``verify_code``
checks the code and records the result.
"""

import enum
import logging
import math
import re

from django.utils import timezone
from django_otp import verify_token
from django_otp.models import Device, VerifyNotAllowed

from accounts.models import TOTPDevice

logger = logging.getLogger(__name__)

CODE_DIGITS = 6
CODE_PATTERN = re.compile(r"[0-9]{6}", re.ASCII)


class Outcome(enum.Enum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    REPLAYED = "replayed"
    THROTTLED = "throttled"


def normalize_code(raw: str) -> str | None:
    """Return the six ASCII digits in ``raw`` with spaces removed, or None.

    Only ASCII digits count: full-width or other Unicode digits, signs and
    any other character make the code invalid.
    """
    compact = raw.replace(" ", "")
    if CODE_PATTERN.fullmatch(compact) is None:
        return None
    return compact


def throttle_wait_seconds(device: Device) -> int:
    """Return how many seconds remain before ``device`` accepts a code again."""
    allowed, details = device.verify_is_allowed()
    if allowed:
        return 0

    if details and details.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
        locked_until = details.get("locked_until")
        if locked_until is not None:
            remaining = (locked_until - timezone.now()).total_seconds()
            return max(1, math.ceil(remaining))
    return 1


def verify_code(device: TOTPDevice, code: str) -> Outcome:
    """Check ``code`` against ``device`` and record the result on it.

    SECURITY: django-otp reloads the device inside a transaction before it
    compares the code and updates ``last_t``. The site's SQLite transactions
    start with BEGIN IMMEDIATE, so two requests with the same code are
    serialized and the second reads the first one's ``last_t``; PostgreSQL
    gets the same from ``select_for_update``. A code is therefore accepted
    at most once, including the code that confirmed enrolment.
    """
    if throttle_wait_seconds(device) > 0:
        return Outcome.THROTTLED

    verified = verify_token(device.user, device.persistent_id, code)
    device.refresh_from_db()
    if verified is not None:
        return Outcome.ACCEPTED

    if is_replay(device, code):
        return Outcome.REPLAYED
    return Outcome.REJECTED


def is_replay(device: TOTPDevice, code: str) -> bool:
    """Return True if ``code`` is valid now but its time step was already used."""
    totp = device.totp()
    return totp.verify(int(code), device.tolerance) and totp.t() <= device.last_t
