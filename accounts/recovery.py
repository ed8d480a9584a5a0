"""Issuing a user's recovery codes and signing in or re-authenticating with one."""

import hmac
import logging

from django.db import transaction
from django.utils import timezone
from django_otp import verify_token

from accounts import recovery_codes
from accounts.models import RecoveryCode, RecoveryCodeDevice, User
from accounts.verification import Outcome, throttle_wait_seconds

logger = logging.getLogger(__name__)

DEVICE_NAME = "Recovery codes"

# At or below this many unused codes, the messages advise generating a new set.
FEW_CODES_LEFT = 3


def device_of(user: User) -> RecoveryCodeDevice | None:
    return RecoveryCodeDevice.objects.filter(user=user).first()


def remaining_count(user: User) -> int:
    return RecoveryCode.objects.filter(device__user=user).count()


@transaction.atomic
def issue_set(user: User) -> list[str]:
    """Replace the user's recovery codes with a new set and return it, formatted.

    The returned codes exist nowhere else: only their digests are saved, under
    a new salt, and every code of the old set stops working in the same
    transaction.
    """
    device, _created = RecoveryCodeDevice.objects.select_for_update().get_or_create(
        user=user, defaults={"name": DEVICE_NAME, "confirmed": True}
    )
    device.salt = recovery_codes.new_salt()
    device.generated_at = timezone.now()
    device.save()

    codes = [recovery_codes.generate_code() for _ in range(recovery_codes.CODES_PER_SET)]
    RecoveryCode.objects.filter(device=device).delete()
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=device, digest=recovery_codes.digest(device.salt, code))
        for code in codes
    )

    logger.info("Issued %d recovery codes to user %s.", len(codes), user.pk)
    return [recovery_codes.format_code(code) for code in codes]


def use_code(device: RecoveryCodeDevice, code: str) -> Outcome:
    """Check ``code`` against ``device``, using it up if it is valid.

    Returns ACCEPTED, REJECTED or THROTTLED. A failure counts towards this
    device's throttle only, never the TOTP device's.
    """
    if throttle_wait_seconds(device) > 0:
        return Outcome.THROTTLED

    verified = verify_token(device.user, device.persistent_id, code)
    device.refresh_from_db()
    if verified is None:
        return Outcome.REJECTED
    return Outcome.ACCEPTED


def valid_codes(user: User, submitted: list[str]) -> list[str]:
    """Return those of ``submitted`` that are unused codes of the user's set, formatted.

    Used to serve back the codes of the page that shows a new set, so that
    the download holds only real codes of this user, never arbitrary text.
    """
    device = device_of(user)
    if device is None:
        return []

    stored = list(device.codes.values_list("digest", flat=True))
    valid = []
    for raw in submitted:
        code = recovery_codes.normalize_code(raw)
        if code is not None and is_stored(recovery_codes.digest(device.salt, code), stored):
            valid.append(recovery_codes.format_code(code))
    return valid


def is_stored(digest: str, stored: list[str]) -> bool:
    return any([hmac.compare_digest(digest, candidate) for candidate in stored])
