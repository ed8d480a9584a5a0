"""Failed sign-ins look the same whether or not the account exists."""

import re

import pytest
from django.test import Client

from tests.hashers import CountingArgon2Hasher
from tests.helpers import create_user, submit_password

pytestmark = pytest.mark.usefixtures("fast_password_hashing")

WRONG = "not the password at all"
LIMIT = 10
TYPED = "typed-username"


def normalised(response, username: str) -> bytes:
    """Return the body with the CSRF token and the echoed username replaced."""
    body = response.content.decode()
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken"', body)
    return body.replace(f'value="{username}"', f'value="{TYPED}"').encode()


def cookie_names(response) -> set[str]:
    return set(response.cookies.keys())


def failed_sign_in(username: str, address: str = "127.0.0.1"):
    CountingArgon2Hasher.calls = 0
    response = submit_password(Client(REMOTE_ADDR=address), username, WRONG)
    response.hash_calls = CountingArgon2Hasher.calls
    return response


@pytest.fixture
def accounts(db):
    create_user("alice")
    create_user("dormant", is_active=False)


def test_unknown_wrong_and_inactive_alike(accounts, clock):
    responses = {
        "unknown": failed_sign_in("nobody"),
        "wrong password": failed_sign_in("alice"),
        "inactive": failed_sign_in("dormant"),
    }
    reference = responses["unknown"]
    names = {"unknown": "nobody", "wrong password": "alice", "inactive": "dormant"}

    for case, response in responses.items():
        assert response.status_code == 200, case
        assert normalised(response, names[case]) == normalised(reference, "nobody"), case
        assert cookie_names(response) == cookie_names(reference), case
        assert response["Cache-Control"] == reference["Cache-Control"], case


def test_every_failure_hashes_once(accounts, clock):
    for username in ("nobody", "alice", "dormant"):
        assert failed_sign_in(username).hash_calls == 1, username


def test_locked_pages_alike(accounts, clock):
    for number in range(LIMIT):
        failed_sign_in("alice", address=f"127.0.0.{number + 1}")
        failed_sign_in("nobody", address=f"127.0.0.{number + 101}")

    known = failed_sign_in("alice", address="127.0.0.50")
    unknown = failed_sign_in("nobody", address="127.0.0.150")

    assert known.status_code == unknown.status_code == 429
    assert normalised(known, "alice") == normalised(unknown, "nobody")
    assert cookie_names(known) == cookie_names(unknown)
    assert known["Retry-After"] == unknown["Retry-After"]
    assert known.hash_calls == unknown.hash_calls == 1
