"""Shared steps for tests: users with devices, codes, and signing in."""

import time
from datetime import UTC, datetime

from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP, totp

from accounts.models import Role, TOTPDevice, User

PASSWORD = "correct horse battery staple"

# A fixed instant at the start of a 30-second TOTP step, for frozen clocks.
START = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)


def create_user(
    username: str = "alice",
    *,
    role: str = Role.USER,
    enrolled: bool = True,
    password: str = PASSWORD,
    **fields,
) -> User:
    """Create an active user, with a confirmed TOTP device unless ``enrolled`` is False."""
    fields.setdefault("email", f"{username}@example.com")
    user = User.objects.create_user(username=username, password=password, role=role, **fields)
    if enrolled:
        TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return user


def device_of(user: User, confirmed: bool = True) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=confirmed)


def code_for(device: TOTPDevice, at: float | None = None) -> str:
    """Return the code ``device`` shows now, or at the Unix time ``at``."""
    if at is None:
        value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    else:
        generator = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        generator.time = at
        value = generator.token()
    return f"{value:0{device.digits}d}"


def submit_password(client: Client, username: str, password: str = PASSWORD, **extra):
    data = {"username": username, "password": password, **extra}
    return client.post(reverse("accounts:login"), data)


def submit_code(client: Client, code: str, step: str = "accounts:code"):
    return client.post(reverse(step), {"code": code})


def sign_in(client: Client, user: User, password: str = PASSWORD) -> None:
    """Sign ``user`` in through both steps, failing the test if any step fails.

    Each call uses the code of the current time step, so two sign-ins of the
    same user need the clock moved on by a step in between.
    """
    response = submit_password(client, user.username, password)
    assert response.status_code == 302, "password step failed"
    assert response.url == reverse("accounts:code")

    device = device_of(user)
    step_now = int(time.time() - device.t0) // device.step
    assert step_now > device.last_t, "this step's code was used: move the clock on 30 s"

    response = submit_code(client, code_for(device))
    assert response.status_code == 302, "code step failed"
