"""Trusted browsers: skipping the code step on a browser the user vouched for.

After a valid code with "Don't ask for a code on this browser" ticked, the
browser gets a signed cookie naming the user, the confirmed TOTP device, a
fingerprint of the password hash and the user's trusted-browser generation.
On the next password step a cookie that still matches all four replaces the
code step. So a new password, a replaced authenticator or "Forget all trusted
browsers" voids every such cookie, and one that is garbage, tampered with or
older than ``TRUSTED_BROWSER_DAYS`` is ignored.
"""

import logging

from django.conf import settings
from django.core import signing
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from accounts.enrolment import confirmed_device
from accounts.models import TOTPDevice, User

logger = logging.getLogger(__name__)

COOKIE_NAME = "trusted_browser"
SIGNING_SALT = "accounts.trusted_browsers.cookie"
FINGERPRINT_SALT = "accounts.trusted_browsers.password"


def max_age_seconds() -> int:
    return settings.TRUSTED_BROWSER_DAYS * 24 * 60 * 60


def cookie_path() -> str:
    """Return the path of the password step, the only page that reads the cookie."""
    return reverse("accounts:login")


def password_fingerprint(user: User) -> str:
    """Return an HMAC of the user's password hash, which changes with the password.

    SECURITY: a signed cookie is readable by anyone holding it, so it must not
    carry the password hash itself, which could be attacked offline. This
    HMAC is keyed with SECRET_KEY and reveals nothing about the password.
    """
    return salted_hmac(FINGERPRINT_SALT, user.password, algorithm="sha256").hexdigest()


def cookie_payload(user: User, device: TOTPDevice) -> dict:
    return {
        "user": user.pk,
        "device": device.pk,
        "password": password_fingerprint(user),
        "generation": user.trusted_browser_generation,
    }


def remember(response: HttpResponse, user: User, device: TOTPDevice) -> None:
    """Set the cookie that lets this browser skip the code step for ``user``."""
    value = signing.dumps(cookie_payload(user, device), salt=SIGNING_SALT)
    response.set_cookie(
        COOKIE_NAME,
        value,
        max_age=max_age_seconds(),
        path=cookie_path(),
        # Secure unless DEBUG, like the session cookie (SESSION_COOKIE_SECURE).
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    logger.info("Browser trusted for user %s with device %s.", user.pk, device.pk)


def forget(response: HttpResponse) -> None:
    """Remove this browser's cookie."""
    response.delete_cookie(COOKIE_NAME, path=cookie_path(), samesite="Lax")


def forget_all(user: User) -> None:
    """Void the cookies of every browser the user trusted."""
    User.objects.filter(pk=user.pk).update(
        trusted_browser_generation=F("trusted_browser_generation") + 1
    )
    user.refresh_from_db(fields=["trusted_browser_generation"])
    logger.info("Forgot all trusted browsers of user %s.", user.pk)


def read_cookie(request: HttpRequest) -> dict | None:
    """Return the payload of a validly signed, unexpired cookie, or None."""
    value = request.COOKIES.get(COOKIE_NAME)
    if not value:
        return None

    try:
        payload = signing.loads(value, salt=SIGNING_SALT, max_age=max_age_seconds())
    except signing.BadSignature:
        logger.info("Ignored an invalid or expired trusted-browser cookie.")
        return None
    return payload if isinstance(payload, dict) else None


def may_trust(user: User) -> bool:
    """Return whether ``user`` may skip the code step on a trusted browser.

    SECURITY: staff and superusers always enter a code. A trusted browser's
    session counts as verified, and the Django admin accepts any verified
    session, so trusting a browser would open the admin with a password
    alone for 30 days.
    """
    return not (user.is_staff or user.is_superuser)


def trusted_device(request: HttpRequest, user: User) -> TOTPDevice | None:
    """Return the user's confirmed device if this browser is trusted for it, else None."""
    if not may_trust(user):
        return None

    payload = read_cookie(request)
    if payload is None:
        return None

    device = confirmed_device(user)
    if device is None:
        return None

    expected = cookie_payload(user, device)
    for key, value in expected.items():
        if not constant_time_compare(str(payload.get(key, "")), str(value)):
            return None
    return device
