"""Profile, user list, user creation and user detail pages, and who may see them."""

import re

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from accounts.models import Role, User
from tests.helpers import PASSWORD, code_for, create_user, device_of

pytestmark = pytest.mark.django_db

PROFILE = reverse("users:me")
EDIT = reverse("users:edit-me")
LIST = reverse("users:list")
CREATE = reverse("users:create")
LOGIN = reverse("accounts:login")


def new_user_data(**overrides) -> dict:
    data = {
        "username": "carol",
        "email": "carol@example.com",
        "full_name": "Carol Ann Smith",
        "role": "user",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


def test_profile_shows_own_details(user_client, user):
    html = user_client.get(PROFILE).content.decode()

    assert user.email in html
    assert "alice" in html


def test_profile_edit_changes_name_and_email(user_client, user):
    response = user_client.post(EDIT, {"full_name": "Alice Liddell", "email": "Al@Example.com"})

    user.refresh_from_db()
    assert response.status_code == 302
    assert user.full_name == "Alice Liddell"
    assert user.email == "Al@example.com"


def test_profile_edit_ignores_privileged_fields(user_client, user):
    user_client.post(
        EDIT,
        {
            "full_name": "Alice",
            "email": "alice@example.com",
            "role": "admin",
            "is_staff": "on",
            "is_superuser": "on",
            "username": "mallory",
            "is_active": "",
        },
    )

    user.refresh_from_db()
    assert user.role == Role.USER
    assert not user.is_staff
    assert not user.is_superuser
    assert user.username == "alice"
    assert user.is_active


def test_profile_edit_rejects_email_taken_in_other_case(user_client, user):
    create_user("bob", email="bob@example.com")

    response = user_client.post(EDIT, {"full_name": "", "email": "BOB@example.com"})

    user.refresh_from_db()
    assert response.status_code == 200
    assert b"A user with that email address already exists" in response.content
    assert user.email == "alice@example.com"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"full_name": "A", "email": ""}, b"This field is required"),
        ({"full_name": "A", "email": "not-an-email"}, b"Enter a valid email address"),
        ({"full_name": "A\nB", "email": "alice@example.com"}, b"control characters"),
        ({"full_name": "x" * 10_000, "email": "alice@example.com"}, b"at most 150 characters"),
        ({"full_name": "A\x00B", "email": "alice@example.com"}, b"Null characters"),
    ],
)
def test_profile_edit_bad_input_is_field_error(user_client, user, data, message):
    response = user_client.post(EDIT, data)

    user.refresh_from_db()
    assert response.status_code == 200
    assert message in response.content
    assert user.email == "alice@example.com"
    assert user.full_name == ""


def test_profile_edit_keeps_unicode_name(user_client, user):
    user_client.post(EDIT, {"full_name": "Zoë Ñúñez 李", "email": "alice@example.com"})

    user.refresh_from_db()
    assert user.full_name == "Zoë Ñúñez 李"


def test_profile_fields_have_autocomplete(user_client):
    html = user_client.get(EDIT).content.decode()

    assert 'autocomplete="name"' in html
    assert 'autocomplete="email"' in html


@pytest.mark.parametrize("path", [PROFILE, EDIT, LIST, CREATE, "/users/1/"])
def test_anonymous_gets_login_page(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next={path}"


@pytest.mark.parametrize("path", [LIST, CREATE, "/users/1/"])
def test_user_role_gets_403(user_client, path):
    response = user_client.get(path)

    assert response.status_code == 403
    assert b"Access denied" in response.content


def test_user_role_cannot_post_new_user(user_client):
    response = user_client.post(CREATE, new_user_data())

    assert response.status_code == 403
    assert not User.objects.filter(username="carol").exists()


def test_admin_lists_users_with_links(admin_client):
    carol = create_user("carol", full_name="Carol Smith")

    html = admin_client.get(LIST).content.decode()

    assert f'href="{reverse("users:detail", args=[carol.pk])}"' in html
    assert "Carol Smith" in html


@pytest.mark.parametrize("query", ["car", "CAROL", "c.smith@", "Smith", "  smith  "])
def test_admin_search_matches(admin_client, query):
    create_user("carol", full_name="Carol Smith", email="c.smith@example.com")
    create_user("dave", full_name="Dave Jones")

    html = admin_client.get(LIST, {"q": query}).content.decode()

    assert ">carol<" in html
    assert ">dave<" not in html


@pytest.mark.parametrize("query", ["\x00", "a\x00b", "é" * 5000, "%_", "'; DROP TABLE x; --"])
def test_admin_search_survives_odd_queries(admin_client, query):
    response = admin_client.get(LIST, {"q": query})

    assert response.status_code == 200


def test_admin_list_paginates_by_50(admin_client):
    User.objects.bulk_create(
        User(username=f"user{i:03d}", email=f"user{i:03d}@example.com") for i in range(120)
    )

    first = admin_client.get(LIST).content.decode()
    third = admin_client.get(LIST, {"page": 3}).content.decode()

    assert len(re.findall(r'href="/users/\d+/"', first)) == 50
    assert "Page 1 of 3" in first
    assert len(re.findall(r'href="/users/\d+/"', third)) == 121 - 100
    assert admin_client.get(LIST, {"page": "x"}).status_code == 200
    assert admin_client.get(LIST, {"page": "99999999999999999999"}).status_code == 200


def test_admin_creates_user(admin_client):
    response = admin_client.post(CREATE, new_user_data(role="admin"))

    carol = User.objects.get(username="carol")
    assert response.status_code == 302
    assert response.url == reverse("users:detail", args=[carol.pk])
    assert carol.role == Role.ADMIN
    assert carol.full_name == "Carol Ann Smith"
    assert carol.check_password(PASSWORD)
    assert carol.password.startswith("argon2")
    assert not carol.is_staff


def test_create_form_has_seed_field_names(admin_client):
    html = admin_client.get(CREATE).content.decode()

    for name in ("username", "email", "full_name", "role", "password1", "password2"):
        assert f'name="{name}"' in html
    assert 'autocomplete="new-password"' in html


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"username": "ROOT"}, b"A user with that username already exists"),
        ({"email": "Root@Example.com"}, b"A user with that email address already exists"),
        ({"password1": "short", "password2": "short"}, b"This password is too short"),
        ({"password1": "password1234", "password2": "password1234"}, b"too common"),
        ({"password2": "something else entirely"}, b"didn"),
        ({"role": "superuser"}, b"Select a valid choice"),
        ({"username": "bad name!"}, b"Enter a valid username"),
        ({"username": ""}, b"This field is required"),
        ({"email": ""}, b"This field is required"),
        ({"username": "x" * 10_000}, b"at most 150 characters"),
        ({"full_name": "tab\there"}, b"control characters"),
    ],
)
def test_create_user_rejects_bad_input(admin_client, overrides, message):
    before = User.objects.count()

    response = admin_client.post(CREATE, new_user_data(**overrides))

    assert response.status_code == 200
    assert message in response.content
    assert User.objects.count() == before


def test_usernames_differing_in_case_cannot_both_exist(db):
    create_user("Alice")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("alice", email="other@example.com", password=PASSWORD)


def test_emails_differing_in_case_cannot_both_exist(db):
    create_user("one", email="same@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("two", email="SAME@example.com", password=PASSWORD)


def test_admin_sees_user_detail(admin_client):
    carol = create_user("carol", full_name="Carol Smith", enrolled=False)

    response = admin_client.get(reverse("users:detail", args=[carol.pk]))

    assert response.status_code == 200
    assert b"Carol Smith" in response.content
    assert b"Not set up yet" in response.content


@pytest.mark.parametrize("path", ["/users/999999/", "/users/99999999999999999999999999/"])
def test_unknown_user_is_404(admin_client, path):
    response = admin_client.get(path)

    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_logout_needs_post(user_client):
    response = user_client.get(reverse("accounts:logout"))

    assert response.status_code == 200
    assert user_client.get(PROFILE).status_code == 200


def test_logout_by_post_ends_session(user_client):
    response = user_client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert user_client.get(PROFILE).status_code == 302


def test_logout_without_csrf_token_is_refused(user, clock):
    client = Client(enforce_csrf_checks=True)
    sign_in_with_csrf(client, user)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 403
    assert b"security token" in response.content
    assert client.get(PROFILE).status_code == 200


def sign_in_with_csrf(client: Client, user) -> None:
    """Sign in with a client that checks CSRF, sending the token it was given."""
    client.get(LOGIN)
    token = client.cookies["csrftoken"].value
    client.post(
        LOGIN, {"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    token = client.cookies["csrftoken"].value
    client.post(
        reverse("accounts:code"),
        {"code": code_for(device_of(user)), "csrfmiddlewaretoken": token},
    )


@pytest.mark.parametrize(("first", "second"), [("älice", "ÄLICE"), ("ólafur", "Ólafur")])
def test_non_ascii_usernames_differing_in_case_clash(db, first, second):
    create_user(first, email="one@example.com")

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(second, email="two@example.com", password=PASSWORD)


def test_non_ascii_username_signs_in_in_other_case(client, clock):
    create_user("älice")

    response = client.post(LOGIN, {"username": "ÄLICE", "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("accounts:code")
