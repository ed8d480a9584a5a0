"""A password set by an admin must be replaced at first sign-in, before the code step."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import AuthEvent, EventType, User
from tests.helpers import (
    PASSWORD,
    code_for,
    create_user,
    device_of,
    sign_in,
    submit_code,
    submit_password,
)
from tests.invitation_steps import NEW_PASSWORD, choose_password, new_user_data

pytestmark = pytest.mark.django_db

NEW_PASSWORD_URL = reverse("accounts:new-password")


def create_with_password(admin_client: Client, username: str = "bob") -> User:
    data = new_user_data(username, password1=PASSWORD, password2=PASSWORD)
    response = admin_client.post(reverse("users:create"), data)
    assert response.status_code == 302, "user creation failed"
    return User.objects.get(username=username)


def test_admin_set_password_flags_user(clock, admin_client):
    bob = create_with_password(admin_client)

    assert bob.must_change_password
    assert bob.check_password(PASSWORD)
    assert not bob.invitations.exists()


def test_first_sign_in_asks_new_password(clock, admin_client):
    create_with_password(admin_client)
    client = Client()

    response = submit_password(client, "bob")
    assert response.status_code == 302
    assert response.url == NEW_PASSWORD_URL
    response = client.get(NEW_PASSWORD_URL)
    assert response.status_code == 200
    assert response.content.count(b'autocomplete="new-password"') == 2


def test_code_and_enrol_steps_wait_for_new_password(clock, admin_client):
    bob = create_with_password(admin_client)
    client = Client()
    submit_password(client, "bob")

    for step in ("accounts:code", "accounts:enrol"):
        response = client.get(reverse(step))
        assert response.status_code == 302, step
        assert response.url == NEW_PASSWORD_URL, step
        response = submit_code(client, "123456", step)
        assert response.url == NEW_PASSWORD_URL, step
    assert client.get(reverse("users:me")).status_code == 302
    assert not bob.totpdevice_set.filter(confirmed=True).exists()


def test_new_password_then_enrolment(clock, admin_client):
    bob = create_with_password(admin_client)
    client = Client()
    submit_password(client, "bob")

    # Choosing a new password continues the pending sign-in, not signed in yet.
    response = choose_password(client, NEW_PASSWORD_URL)
    assert response.status_code == 302
    assert response.url == reverse("accounts:enrol")
    assert client.get(reverse("users:me")).status_code == 302
    bob.refresh_from_db()
    assert not bob.must_change_password
    assert bob.check_password(NEW_PASSWORD)
    assert AuthEvent.objects.filter(event_type=EventType.PASSWORD_CHANGED, user=bob).exists()

    # Enrolment signs the user in.
    client.get(reverse("accounts:enrol"))
    submit_code(client, code_for(device_of(bob, confirmed=False)), "accounts:enrol")
    assert client.get(reverse("users:me")).status_code == 200


def test_enrolled_user_goes_to_code_step(clock, db):
    bob = create_user("bob", must_change_password=True)
    client = Client()
    submit_password(client, "bob")

    response = choose_password(client, NEW_PASSWORD_URL)
    assert response.url == reverse("accounts:code")
    submit_code(client, code_for(device_of(bob)))
    assert client.get(reverse("users:me")).status_code == 200


def test_same_password_rejected(clock, admin_client):
    bob = create_with_password(admin_client)
    client = Client()
    submit_password(client, "bob")

    response = choose_password(client, NEW_PASSWORD_URL, PASSWORD)
    assert response.status_code == 400
    assert b"different from the one you were given" in response.content
    bob.refresh_from_db()
    assert bob.must_change_password


def test_old_password_stops_working(clock, admin_client):
    create_with_password(admin_client)
    client = Client()
    submit_password(client, "bob")
    choose_password(client, NEW_PASSWORD_URL)

    response = submit_password(Client(), "bob", PASSWORD)
    assert response.status_code == 200


def test_new_password_page_needs_pending_sign_in(clock, db):
    response = Client().get(NEW_PASSWORD_URL)
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")


def test_new_password_page_times_out(clock, admin_client):
    bob = create_with_password(admin_client)
    client = Client()
    submit_password(client, "bob")

    clock.shift(301)
    response = choose_password(client, NEW_PASSWORD_URL)
    assert response.url == reverse("accounts:login")
    bob.refresh_from_db()
    assert bob.must_change_password


def test_user_without_flag_skips_page(clock, user):
    client = Client()
    submit_password(client, "alice")

    response = client.get(NEW_PASSWORD_URL)
    assert response.status_code == 302
    assert response.url == reverse("accounts:code")


def test_regular_sign_in_unchanged(clock, user):
    client = Client()
    sign_in(client, user)
    assert client.get(reverse("users:me")).status_code == 200
