"""Email, invitation and base-URL settings read from the environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent

PRINT_SETTINGS = """
import json
from django.conf import settings
names = ["EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER",
         "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS", "DEFAULT_FROM_EMAIL",
         "INVITATION_HOURS", "SITE_BASE_URL"]
print(json.dumps({name: getattr(settings, name) for name in names}))
"""

EMAIL_VARIABLES = (
    "DJANGO_EMAIL_HOST",
    "DJANGO_EMAIL_PORT",
    "DJANGO_EMAIL_HOST_USER",
    "DJANGO_EMAIL_HOST_PASSWORD",
    "DJANGO_EMAIL_USE_TLS",
    "DJANGO_DEFAULT_FROM_EMAIL",
    "INVITATION_HOURS",
    "DJANGO_SITE_BASE_URL",
)


def load_settings(**environment: str) -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter with ``environment`` set."""
    env = {key: value for key, value in os.environ.items() if key not in EMAIL_VARIABLES}
    env.update(DJANGO_DEBUG="1", DJANGO_SETTINGS_MODULE="twofactor_site.settings", **environment)
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def settings_with(**environment: str) -> dict:
    result = load_settings(**environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_console_email_by_default():
    values = settings_with()

    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert values["DEFAULT_FROM_EMAIL"] == "webmaster@localhost"
    assert values["INVITATION_HOURS"] == 72
    assert values["SITE_BASE_URL"] == ""


def test_smtp_with_host():
    values = settings_with(
        DJANGO_EMAIL_HOST="smtp.example.com",
        DJANGO_EMAIL_PORT="2525",
        DJANGO_EMAIL_HOST_USER="mailer",
        DJANGO_EMAIL_HOST_PASSWORD="mail secret",
        DJANGO_EMAIL_USE_TLS="0",
        DJANGO_DEFAULT_FROM_EMAIL="accounts@example.com",
    )

    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert values["EMAIL_HOST"] == "smtp.example.com"
    assert values["EMAIL_PORT"] == 2525
    assert values["EMAIL_HOST_USER"] == "mailer"
    assert values["EMAIL_HOST_PASSWORD"] == "mail secret"
    assert values["EMAIL_USE_TLS"] is False
    assert values["DEFAULT_FROM_EMAIL"] == "accounts@example.com"


def test_smtp_defaults_to_tls_on_587():
    values = settings_with(DJANGO_EMAIL_HOST="smtp.example.com")

    assert values["EMAIL_PORT"] == 587
    assert values["EMAIL_USE_TLS"] is True


def test_invitation_hours_and_base_url():
    values = settings_with(INVITATION_HOURS="24", DJANGO_SITE_BASE_URL="https://example.com/")

    assert values["INVITATION_HOURS"] == 24
    assert values["SITE_BASE_URL"] == "https://example.com"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("INVITATION_HOURS", "0", "INVITATION_HOURS must be at least 1"),
        ("INVITATION_HOURS", "three", "INVITATION_HOURS must be a whole number"),
        ("DJANGO_SITE_BASE_URL", "example.com", "DJANGO_SITE_BASE_URL must start with"),
        ("DJANGO_EMAIL_USE_TLS", "maybe", "DJANGO_EMAIL_USE_TLS must be 1 or 0"),
    ],
)
def test_bad_values_rejected(name, value, message):
    environment = {name: value}
    if name == "DJANGO_EMAIL_USE_TLS":
        environment["DJANGO_EMAIL_HOST"] = "smtp.example.com"

    result = load_settings(**environment)
    assert result.returncode != 0
    assert message in result.stderr
