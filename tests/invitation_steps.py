"""Steps shared by the tests of invitations and user management."""

import re
from urllib.parse import urlsplit

from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User

NEW_PASSWORD = "a fresh and private passphrase"

LINK_PATTERN = re.compile(r"https?://[^\s\"<>]+/accounts/invitation/[^\s\"<>/]+/")


def new_user_data(username: str = "bob", **overrides) -> dict:
    """Return the /users/new/ form data for a user, without a password by default."""
    data = {
        "username": username,
        "email": f"{username}@example.com",
        "full_name": username.title(),
        "role": "user",
        "password1": "",
        "password2": "",
    }
    data.update(overrides)
    return data


def invite(admin_client: Client, username: str = "bob") -> tuple[User, str]:
    """Create ``username`` without a password and return the user and the link path."""
    response = admin_client.post(reverse("users:create"), new_user_data(username))
    assert response.status_code == 200, "user creation failed"
    return User.objects.get(username=username), link_path(response.content.decode())


def link_path(text: str) -> str:
    """Return the path of the one invitation link in ``text``."""
    links = set(LINK_PATTERN.findall(text))
    assert len(links) == 1, f"expected one invitation link, found {len(links)}"
    return urlsplit(links.pop()).path


def last_email_link() -> str:
    return link_path(mail.outbox[-1].body)


def choose_password(client: Client, path: str, password: str = NEW_PASSWORD):
    return client.post(path, {"new_password1": password, "new_password2": password})
