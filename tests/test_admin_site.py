"""The Django admin: only verified staff, and its login goes through both steps."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from tests.helpers import create_user, device_of, sign_in

pytestmark = pytest.mark.django_db


def test_verified_staff_gets_in(admin_client):
    response = admin_client.get("/admin/")

    assert response.status_code == 200
    assert b"Site administration" in response.content or b"Data" in response.content


def test_signed_in_non_staff_gets_403(user_client):
    response = user_client.get("/admin/", follow=True)

    assert response.status_code == 403
    assert b"Access denied" in response.content


def test_admin_login_page_is_not_password_only(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert "next=/admin/" in response.url


def test_admin_login_post_does_not_sign_in(client, clock):
    create_user("root", role=Role.ADMIN, is_staff=True, is_superuser=True)

    client.post("/admin/login/", {"username": "root", "password": "x"})

    assert client.get("/admin/", follow=True).redirect_chain


def test_session_without_device_verification_is_ended(clock):
    staff = create_user("root", role=Role.ADMIN, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(staff)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert client.get(reverse("users:me")).status_code == 302


def test_user_admin_lists_role_active_staff(admin_client):
    create_user("carol", full_name="Carol Smith")

    html = admin_client.get("/admin/accounts/user/").content.decode()

    assert "column-role" in html
    assert "column-is_active" in html
    assert "column-is_staff" in html
    assert "Carol Smith" in html


def test_user_admin_search_and_filter(admin_client):
    create_user("carol", full_name="Carol Smith")
    create_user("dave", role=Role.ADMIN)

    searched = admin_client.get("/admin/accounts/user/", {"q": "smith"}).content.decode()
    filtered = admin_client.get("/admin/accounts/user/", {"role__exact": "admin"}).content.decode()

    assert "carol" in searched
    assert "dave" not in searched
    assert "dave" in filtered
    assert "carol" not in filtered


def test_devices_visible_without_secret(admin_client, admin_user):
    device = device_of(admin_user)

    listing = admin_client.get("/admin/accounts/totpdevice/").content.decode()
    detail = admin_client.get(f"/admin/accounts/totpdevice/{device.pk}/change/").content.decode()

    assert "root" in listing
    assert device.encrypted_key not in detail
    assert device.bin_key.hex() not in detail


def test_admin_role_without_staff_cannot_use_admin(client, clock):
    admin = create_user("boss", role=Role.ADMIN)
    sign_in(client, admin)

    response = client.get("/admin/", follow=True)

    assert response.status_code == 403
