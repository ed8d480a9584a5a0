"""Hostile or broken requests get a clear 4xx or a form error, never a 500."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.helpers import PASSWORD, submit_password

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("", ""),
        ("alice", ""),
        ("a" * 10_000, PASSWORD),
        ("alice", "p" * 100_000),
        ("al\x00ice", PASSWORD),
        ("alice", "pass\x00word"),
        ("ålice\u202e", "пароль"),
        ("\x1b[31m", "\r\n"),
    ],
)
def test_login_bad_input_is_form_error(client, user, username, password):
    response = submit_password(client, username, password)

    assert response.status_code == 200
    assert b'class="errorlist"' in response.content or b"form-errors" in response.content


def test_login_with_list_values(client, user):
    response = client.post(LOGIN, {"username": ["alice", "bob"], "password": [PASSWORD, "x"]})

    assert response.status_code in (200, 302)


def test_login_without_csrf_token_is_403_page(user):
    client = Client(enforce_csrf_checks=True)

    response = client.post(LOGIN, {"username": "alice", "password": PASSWORD})

    assert response.status_code == 403
    assert b"security token" in response.content
    assert b"Traceback" not in response.content


def test_tampered_session_cookie_is_ignored(client, user):
    client.cookies[settings.SESSION_COOKIE_NAME] = "garbage\x7f" + "x" * 500

    response = client.get(reverse("users:me"))

    assert response.status_code == 302
    assert client.get(LOGIN).status_code == 200


def test_tampered_csrf_cookie_is_403(user):
    client = Client(enforce_csrf_checks=True)
    client.get(LOGIN)
    client.cookies[settings.CSRF_COOKIE_NAME] = "not-a-token"

    response = client.post(
        LOGIN, {"username": "alice", "password": PASSWORD, "csrfmiddlewaretoken": "x" * 64}
    )

    assert response.status_code == 403


def test_unknown_method_is_405(client, db):
    response = client.put(LOGIN)

    assert response.status_code == 405


def test_unknown_page_is_404_in_layout(client, db):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b'<link rel="stylesheet"' in response.content


def test_disallowed_host_is_400(client, db):
    response = client.get(LOGIN, HTTP_HOST="evil.example")

    assert response.status_code == 400
