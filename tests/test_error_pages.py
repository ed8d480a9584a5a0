"""Error pages: the site's layout, no technical detail, never a 500 for bad cookies."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.helpers import create_user, sign_in

pytestmark = pytest.mark.usefixtures("fast_password_hashing")


def assert_plain_error_page(response, status: int) -> None:
    body = response.content.decode()
    assert response.status_code == status
    assert 'class="site-header"' in body
    assert f"({status})" in body
    assert "Traceback" not in body
    assert "SECRET_KEY" not in body
    assert "no-store" in response["Cache-Control"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_404_page():
    assert_plain_error_page(Client().get("/nothing/here/"), 404)


@pytest.mark.django_db
def test_403_page(clock):
    client = Client()
    sign_in(client, create_user("alice"))
    assert_plain_error_page(client.get(reverse("users:list")), 403)


@pytest.mark.django_db
def test_400_page_for_unknown_host():
    assert_plain_error_page(Client().get("/", HTTP_HOST="attacker.example"), 400)


@pytest.mark.django_db
@pytest.mark.urls("tests.error_urls")
def test_500_page():
    client = Client(raise_request_exception=False)
    assert_plain_error_page(client.get("/fail/"), 500)


@pytest.mark.django_db
def test_missing_csrf_token_is_403():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "a", "password": "b"})
    assert response.status_code == 403
    assert "security token" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "session_cookie",
    ["garbage", "x" * 5000, "é", "a" * 32, "../../etc/passwd", ""],
)
def test_tampered_session_cookie(session_cookie):
    client = Client()
    client.cookies["sessionid"] = session_cookie

    assert client.get(reverse("users:me")).status_code == 302
    assert client.get(reverse("accounts:login")).status_code == 200
    response = client.post(reverse("accounts:login"), {"username": "a", "password": "b"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_tampered_session_cookie_of_signed_in_user(clock):
    client = Client()
    sign_in(client, create_user("alice"))
    key = client.cookies["sessionid"].value
    client.cookies["sessionid"] = key[:-1] + ("a" if key[-1] != "a" else "b")

    response = client.get(reverse("users:me"))
    assert response.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("csrf_cookie", ["garbage", "x" * 5000, "é", "a" * 32, ""])
def test_tampered_csrf_cookie(csrf_cookie):
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = csrf_cookie

    assert client.get(reverse("accounts:login")).status_code == 200
    response = client.post(
        reverse("accounts:login"),
        {"username": "a", "password": "b", "csrfmiddlewaretoken": csrf_cookie},
    )
    assert response.status_code in (200, 403)


@pytest.mark.django_db
def test_tampered_messages_cookie():
    client = Client()
    client.cookies["messages"] = "not-signed:[1,2,3]"
    assert client.get(reverse("accounts:login")).status_code == 200
