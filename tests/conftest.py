import pytest
import time_machine
from django.test import Client

from accounts.models import Role
from tests.helpers import START, create_user, sign_in


@pytest.fixture
def clock():
    """Freeze time at a fixed instant; move it with ``clock.shift(seconds)``."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def user(db):
    return create_user("alice")


@pytest.fixture
def admin_user(db):
    return create_user("root", role=Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def user_client(user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


@pytest.fixture
def admin_client(admin_user) -> Client:
    client = Client()
    sign_in(client, admin_user)
    return client


@pytest.fixture
def fast_password_hashing(settings):
    """Hash with a cheap Argon2id, for tests that check many passwords."""
    from tests.hashers import FAST_HASHERS

    settings.PASSWORD_HASHERS = FAST_HASHERS
