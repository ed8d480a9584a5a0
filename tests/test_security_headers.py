"""Security headers on pages, error pages, the lockout page and static files."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.helpers import create_user, sign_in, submit_password

pytestmark = pytest.mark.usefixtures("fast_password_hashing")

EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def csp_directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition(" ")
        directives[name] = value
    return directives


def assert_security_headers(response) -> None:
    assert csp_directives(response) == EXPECTED_CSP
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_headers_on_html_page():
    response = Client().get(reverse("accounts:login"))
    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.django_db
def test_headers_on_404():
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert_security_headers(response)
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_headers_on_static_file():
    response = Client().get("/static/css/site.css")
    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.django_db
def test_headers_on_lockout_page(clock):
    create_user("alice")
    for _ in range(10):
        response = Client().post(reverse("accounts:login"), {"username": "alice", "password": "x"})
    assert response.status_code == 429
    assert_security_headers(response)


@pytest.mark.django_db
def test_hsts_on_https(settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = Client().get(reverse("accounts:login"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@pytest.mark.django_db
def test_ssl_redirect_in_production_settings(settings):
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get(reverse("accounts:login"))
    assert response.status_code == 301
    assert response.url.startswith("https://")


@pytest.mark.django_db
def test_no_inline_script_or_style_on_pages(clock):
    """The CSP forbids inline code, so no page may depend on it."""
    admin = create_user("root", role="admin", is_staff=True, is_superuser=True)
    create_user("fresh", enrolled=False)
    client = Client()
    sign_in(client, admin)

    enrol_client = Client()
    submit_password(enrol_client, "fresh")

    pages = [
        client.get(reverse("users:me")),
        client.get(reverse("users:list")),
        client.get(reverse("users:create")),
        client.get(reverse("audit:list")),
        client.get(reverse("admin:index")),
        client.get(reverse("admin:accounts_user_changelist")),
        client.get(reverse("admin:accounts_user_change", args=[admin.pk])),
        client.get(reverse("admin:accounts_authevent_changelist")),
        enrol_client.get(reverse("accounts:enrol")),
    ]
    for response in pages:
        body = response.content.decode()
        assert response.status_code == 200, response.request["PATH_INFO"]
        assert "<script>" not in body, response.request["PATH_INFO"]
        assert " style=" not in body, response.request["PATH_INFO"]
        assert " onclick=" not in body, response.request["PATH_INFO"]
    assert "<svg" in pages[-1].content.decode()


@pytest.mark.django_db
def test_account_pages_not_cached(clock):
    admin = create_user("root", role="admin", is_staff=True, is_superuser=True)
    client = Client()
    anonymous = Client()
    assert "no-store" in anonymous.get(reverse("accounts:login"))["Cache-Control"]
    sign_in(client, admin)

    for name in ("users:me", "users:edit-me", "users:list", "users:create", "audit:list"):
        response = client.get(reverse(name))
        assert "no-store" in response["Cache-Control"], name
    response = client.get(reverse("users:detail", args=[admin.pk]))
    assert "no-store" in response["Cache-Control"]
    assert "no-store" in client.get(reverse("admin:index"))["Cache-Control"]
    assert "no-store" in client.get(reverse("accounts:logout"))["Cache-Control"]
