"""DJANGO_INSECURE_LOCAL_HTTP: plain HTTP in production mode, on loopback only."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
PRINT_COOKIE_FLAGS = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.DEBUG, settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE)"
)


def load_settings(**environment: str) -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter with ``environment`` set."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key != "DATABASE_URL"
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "twofactor_site.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_TOTP_ENCRYPTION_KEYS": "A" * 43 + "=",
        **environment,
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", PRINT_COOKIE_FLAGS],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_cookies_are_secure_by_default():
    result = load_settings(DJANGO_ALLOWED_HOSTS="127.0.0.1")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True"]


@pytest.mark.parametrize("hosts", ["127.0.0.1", "127.0.0.1,localhost,[::1]"])
def test_loopback_hosts_allow_plain_http(hosts):
    result = load_settings(DJANGO_ALLOWED_HOSTS=hosts, DJANGO_INSECURE_LOCAL_HTTP="1")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "False"]


@pytest.mark.parametrize("hosts", ["example.com", "127.0.0.1,example.com", "*", "0.0.0.0"])  # noqa: S104
def test_other_hosts_reject_plain_http(hosts):
    result = load_settings(DJANGO_ALLOWED_HOSTS=hosts, DJANGO_INSECURE_LOCAL_HTTP="1")

    assert result.returncode != 0
    assert "DJANGO_INSECURE_LOCAL_HTTP=1 needs DJANGO_ALLOWED_HOSTS" in result.stderr
