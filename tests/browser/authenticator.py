"""An authenticator app for browser tests: reads the QR code, makes codes.

Codes come from real time. ``StepClock`` moves the clock of the whole
process, and so of the live server thread too, with time-machine: to the
next 30-second step when the current code was already used, or past a
throttle delay. Nothing sleeps.
"""

import time
from base64 import b32decode
from dataclasses import dataclass
from io import BytesIO
from urllib.parse import parse_qs, unquote, urlsplit

import time_machine
import zxingcpp
from django.db.models import Max
from django_otp.oath import hotp
from PIL import Image
from playwright.sync_api import Locator

from accounts.models import TOTPDevice, User


@dataclass(frozen=True)
class Authenticator:
    """One key in an authenticator app, with the settings of its otpauth URI."""

    key: bytes
    step: int = 30
    digits: int = 6
    label: str = ""
    issuer: str = ""

    @classmethod
    def from_device(cls, device: TOTPDevice) -> "Authenticator":
        return cls(key=device.bin_key, step=device.step, digits=device.digits)

    @classmethod
    def from_otpauth_uri(cls, uri: str) -> "Authenticator":
        """Parse an ``otpauth://totp/`` URI as an authenticator app does."""
        parts = urlsplit(uri)
        if parts.scheme != "otpauth" or parts.netloc != "totp":
            raise ValueError(f"not a TOTP otpauth URI: {uri!r}")

        query = {name: values[0] for name, values in parse_qs(parts.query).items()}
        if query.get("algorithm", "SHA1") != "SHA1":
            raise ValueError(f"unsupported algorithm in {uri!r}")

        secret = query["secret"].upper()
        padding = "=" * (-len(secret) % 8)
        return cls(
            key=b32decode(secret + padding),
            step=int(query.get("period", 30)),
            digits=int(query.get("digits", 6)),
            label=unquote(parts.path.lstrip("/")),
            issuer=query.get("issuer", ""),
        )

    def time_step(self) -> int:
        return int(time.time()) // self.step

    def code(self) -> str:
        """Return the code the app shows at this moment."""
        return self.code_at_step(self.time_step())

    def code_at_step(self, time_step: int) -> str:
        """Return the code of ``time_step``: TOTP is HOTP with the step as counter."""
        value = hotp(self.key, time_step, digits=self.digits)
        return f"{value:0{self.digits}d}"

    def wrong_code(self) -> str:
        """Return a well-formed code that is not the current one."""
        current = self.code()
        return "000000" if current != "000000" else "111111"


def decode_qr_code(element: Locator) -> str:
    """Take a screenshot of ``element`` and return the text of the QR code in it."""
    image = Image.open(BytesIO(element.screenshot()))
    results = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    if len(results) != 1:
        raise AssertionError(f"expected one QR code in the screenshot, found {len(results)}")
    return results[0].text


def last_used_step(user: User) -> int:
    """Return the time step of the user's last accepted code, or -1."""
    last = TOTPDevice.objects.filter(user=user).aggregate(last=Max("last_t"))["last"]
    return -1 if last is None else last


class StepClock:
    """Real time for the test process, moved forward only when a test must.

    The first move starts a ticking time-machine travel, later moves shift
    it. The live server runs in a thread of the same process, so it reads the
    same time as the test.
    """

    def __init__(self) -> None:
        self._travel: time_machine.travel | None = None
        self._coordinates: time_machine.Coordinates | None = None

    def shift(self, seconds: float) -> None:
        if self._coordinates is None:
            self._travel = time_machine.travel(time.time() + seconds, tick=True)
            self._coordinates = self._travel.start()
        else:
            self._coordinates.shift(seconds)

    def move_to_step(self, step: int, period: int = 30) -> None:
        """Move to the start of time step ``step`` unless it has begun already."""
        start = step * period
        if time.time() < start:
            self.shift(start - time.time())

    def unused_code(self, authenticator: Authenticator, user: User) -> str:
        """Return a code for ``user`` that the site has not accepted before.

        If the code of the current step was used, the clock moves on to the
        next step first, as a person would wait for the next code.
        """
        used = last_used_step(user)
        if authenticator.time_step() <= used:
            self.move_to_step(used + 1, authenticator.step)
        return authenticator.code()

    def stop(self) -> None:
        if self._travel is not None:
            self._travel.stop()
            self._travel = None
            self._coordinates = None
