"""The single-use link that creates the first admin."""

import re
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import FirstAdminToken, Role, User
from tests.helpers import PASSWORD, START, create_user

pytestmark = pytest.mark.django_db

ADMIN_DATA = {
    "username": "boss",
    "email": "boss@example.com",
    "full_name": "The Boss",
    "password1": PASSWORD,
    "password2": PASSWORD,
}


def printed_link(port: int = 8000) -> str:
    output = StringIO()
    call_command("first_admin_link", base_url=f"http://127.0.0.1:{port}", stdout=output)
    match = re.search(r"http://127\.0\.0\.1:\d+(/accounts/setup/[\w-]+/)", output.getvalue())
    assert match, output.getvalue()
    return match.group(1)


def test_command_prints_link_on_empty_database():
    output = StringIO()

    call_command("first_admin_link", base_url="http://127.0.0.1:8123", stdout=output)

    assert "http://127.0.0.1:8123/accounts/setup/" in output.getvalue()
    token = output.getvalue().split("/accounts/setup/")[1].split("/")[0]
    assert len(token) >= 43
    assert not FirstAdminToken.objects.filter(digest=token).exists()


def test_command_prints_nothing_once_a_user_exists():
    create_user("someone")
    output = StringIO()

    call_command("first_admin_link", stdout=output)

    assert output.getvalue() == ""
    assert not FirstAdminToken.objects.exists()


def test_link_creates_admin_and_leads_to_enrolment(client):
    path = printed_link()

    assert client.get(path).status_code == 200
    response = client.post(path, ADMIN_DATA)

    boss = User.objects.get(username="boss")
    assert response.status_code == 302
    assert response.url == reverse("accounts:enrol")
    assert boss.role == Role.ADMIN
    assert boss.is_staff
    assert boss.is_superuser
    assert client.get(reverse("accounts:enrol")).status_code == 200


def test_link_works_once(client):
    path = printed_link()
    client.post(path, ADMIN_DATA)

    again = Client().post(path, {**ADMIN_DATA, "username": "boss2", "email": "b2@example.com"})

    assert again.status_code == 404
    assert User.objects.count() == 1


def test_link_stops_once_any_user_exists(client):
    path = printed_link()
    create_user("early")

    assert client.get(path).status_code == 404


def test_only_latest_link_works(client):
    old = printed_link()
    new = printed_link()

    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


@pytest.mark.parametrize("token", ["x", "A" * 43, "%00", "é" * 50, "a" * 5000])
def test_wrong_token_is_404(client, token):
    printed_link()

    response = client.get(f"/accounts/setup/{token}/")

    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_link_expires():
    with time_machine.travel(START, tick=False) as clock:
        path = printed_link()
        clock.shift(24 * 3600 + 1)

        assert Client().get(path).status_code == 404


def test_invalid_form_keeps_link_usable(client):
    path = printed_link()

    response = client.post(path, {**ADMIN_DATA, "password2": "different"})

    assert response.status_code == 200
    assert not User.objects.exists()
    assert client.get(path).status_code == 200


def test_createsuperuser_makes_admin(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)

    call_command(
        "createsuperuser",
        "--noinput",
        username="chief",
        email="chief@example.com",
        stdout=StringIO(),
    )

    chief = User.objects.get(username="chief")
    assert chief.role == Role.ADMIN
    assert chief.is_staff
    assert chief.is_superuser
    assert chief.check_password(PASSWORD)
