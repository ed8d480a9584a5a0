"""Production settings pass Django's deployment checklist."""

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent


def production_environment(**overrides: str) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key != "DATABASE_URL"
    }
    environment.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="twofactor.example",
        DJANGO_TOTP_ENCRYPTION_KEYS=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
    )
    environment.update(overrides)
    return environment


def deploy_check(**overrides: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=production_environment(**overrides),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_deploy_check():
    result = deploy_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_plain_http_switch_fails_deploy_check():
    result = deploy_check(DJANGO_HTTPS="0", DJANGO_ALLOWED_HOSTS="127.0.0.1")
    assert result.returncode != 0
    assert "security.W008" in result.stderr + result.stdout


def test_plain_http_switch_refused_on_public_host():
    result = deploy_check(DJANGO_HTTPS="0")
    assert result.returncode != 0
    assert "DJANGO_HTTPS=0 is allowed only" in result.stderr


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, "'SECURE_HSTS_SECONDS': 31536000"),
        ({"DJANGO_HSTS_SECONDS": "600"}, "'SECURE_HSTS_SECONDS': 600"),
        ({}, "'SECURE_HSTS_PRELOAD': False"),
        ({"DJANGO_HSTS_PRELOAD": "1"}, "'SECURE_HSTS_PRELOAD': True"),
        ({}, "'SECURE_PROXY_SSL_HEADER': None"),
        (
            {"DJANGO_SECURE_PROXY_SSL_HEADER": "1"},
            "'SECURE_PROXY_SSL_HEADER': ('HTTP_X_FORWARDED_PROTO', 'https')",
        ),
        (
            {"DJANGO_HTTPS": "0", "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost"},
            "'SECURE_SSL_REDIRECT': False",
        ),
        ({}, "'SECURE_SSL_REDIRECT': True"),
        ({}, "'SESSION_COOKIE_SECURE': True"),
    ],
)
def test_production_setting_values(overrides, expected):
    script = (
        "import django, pprint; django.setup(); from django.conf import settings; "
        "names = ['SECURE_HSTS_SECONDS', 'SECURE_HSTS_PRELOAD', 'SECURE_PROXY_SSL_HEADER', "
        "'SECURE_SSL_REDIRECT', 'SESSION_COOKIE_SECURE']; "
        "print({name: getattr(settings, name) for name in names})"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=production_environment(DJANGO_SETTINGS_MODULE="twofactor_site.settings", **overrides),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert expected in result.stdout
