"""Enrolling an authenticator app: the device, its otpauth URI and QR code."""

import logging
from base64 import b32encode
from urllib.parse import quote, urlencode

import qrcode
from django.conf import settings
from django.db import transaction
from django.utils.html import format_html
from django.utils.safestring import SafeString

from accounts.models import TOTPDevice, User

logger = logging.getLogger(__name__)

DEVICE_NAME = "Authenticator app"


def pending_device(user: User) -> TOTPDevice:
    """Return the user's unconfirmed TOTP device, creating one if needed.

    The same device, and so the same secret, is returned until it is
    confirmed, so a mistyped code does not make the user scan again.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
        logger.info("Created unconfirmed TOTP device %s for user %s.", device.pk, user.pk)
    return device


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


@transaction.atomic
def confirm(device: TOTPDevice) -> None:
    """Mark ``device`` confirmed and remove the user's other TOTP devices.

    Called only after the device accepted a code, so ``last_t`` already
    contains that code's time step and the code cannot sign in again.
    """
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()
    logger.info("Confirmed TOTP device %s for user %s.", device.pk, device.user_id)


def base32_secret(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode("ascii").rstrip("=")


def grouped_secret(device: TOTPDevice) -> str:
    """Return the base32 secret in groups of four, for typing by hand."""
    secret = base32_secret(device)
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def issuer_name() -> str:
    """Return the issuer for authenticator apps.

    The Key URI Format forbids a colon in the issuer, because the label uses
    a colon to separate issuer from account name.
    """
    return settings.OTP_TOTP_ISSUER.replace(":", "").strip() or "twofactor_site"


def otpauth_uri(device: TOTPDevice) -> str:
    """Return the ``otpauth://totp/`` URI that enrols ``device`` in an app.

    Issuer and account name are percent-encoded separately with no safe
    characters, so a colon, slash, space or non-ASCII letter in the username
    stays inside the account name and the one literal colon separates the two.
    """
    issuer = issuer_name()
    label = f"{quote(issuer, safe='')}:{quote(device.user.get_username(), safe='')}"
    query = urlencode(
        {
            "secret": base32_secret(device),
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": device.digits,
            "period": device.step,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{query}"


def qr_svg(data: str, title: str) -> SafeString:
    """Render ``data`` as an inline SVG QR code with an accessible title.

    The SVG is drawn from the module matrix as one path on a white square, so
    it scans in dark mode too and needs no style attribute. Each horizontal
    run of dark modules is one rectangle, which keeps the page small.
    """
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)

    runs = []
    for y, row in enumerate(matrix):
        for x, length in dark_runs(row):
            runs.append(f"M{x},{y}h{length}v1h-{length}z")

    svg = format_html(
        '<svg class="qr-code" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {0} {0}" '
        'role="img" aria-labelledby="qr-title" shape-rendering="crispEdges">'
        '<title id="qr-title">{1}</title>'
        '<rect width="{0}" height="{0}" fill="#fff"/>'
        '<path fill="#000" d="{2}"/></svg>',
        size,
        title,
        "".join(runs),
    )
    return svg


def dark_runs(row: list[bool]) -> list[tuple[int, int]]:
    """Return ``(start, length)`` of each run of consecutive dark modules in ``row``."""
    runs = []
    start = None
    for x, dark in enumerate([*row, False]):
        if dark and start is None:
            start = x
        elif not dark and start is not None:
            runs.append((start, x - start))
            start = None
    return runs
