"""Password hashes: the site's Argon2 parameters, and upgrading old hashes at sign-in."""

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, identify_hasher, make_password
from django.test import Client
from django.urls import reverse

from accounts.hashers import SiteArgon2PasswordHasher
from tests.helpers import PASSWORD, create_user, sign_in

# OWASP Password Storage Cheat Sheet, minimum Argon2id configuration.
OWASP_MIN_MEMORY_KIB = 19 * 1024
OWASP_MIN_PASSES = 2


def argon2_parameters(encoded: str) -> dict:
    decoded = SiteArgon2PasswordHasher().decode(encoded)
    return {key: decoded[key] for key in ("variety", "memory_cost", "time_cost", "parallelism")}


SITE_PARAMETERS = {
    "variety": "argon2id",
    "memory_cost": SiteArgon2PasswordHasher.memory_cost,
    "time_cost": SiteArgon2PasswordHasher.time_cost,
    "parallelism": SiteArgon2PasswordHasher.parallelism,
}


def django_default_argon2_hash() -> str:
    return Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())


def weak_argon2_hash() -> str:
    class WeakArgon2(SiteArgon2PasswordHasher):
        time_cost = 1
        memory_cost = 8 * 1024

    return WeakArgon2().encode(PASSWORD, WeakArgon2().salt())


def argon2_parameters_or_none(encoded: str) -> dict | None:
    if not encoded.startswith("argon2$"):
        return None
    return argon2_parameters(encoded)


def test_parameters_meet_owasp_minimum():
    assert SiteArgon2PasswordHasher.memory_cost >= OWASP_MIN_MEMORY_KIB
    assert SiteArgon2PasswordHasher.time_cost >= OWASP_MIN_PASSES
    assert SiteArgon2PasswordHasher.parallelism >= 1


@pytest.mark.django_db
def test_new_password_uses_site_parameters():
    user = create_user("alice")

    assert isinstance(identify_hasher(user.password), SiteArgon2PasswordHasher)
    assert argon2_parameters(user.password) == SITE_PARAMETERS


@pytest.mark.parametrize(
    "old_hash",
    [
        pytest.param(lambda: make_password(PASSWORD, hasher="pbkdf2_sha256"), id="pbkdf2"),
        pytest.param(lambda: make_password(PASSWORD, hasher="pbkdf2_sha1"), id="pbkdf2-sha1"),
        pytest.param(lambda: make_password(PASSWORD, hasher="scrypt"), id="scrypt"),
        pytest.param(django_default_argon2_hash, id="argon2-django-default"),
        pytest.param(weak_argon2_hash, id="argon2-weaker"),
    ],
)
def test_sign_in_upgrades_old_hash(db, clock, old_hash):
    user = create_user("alice")
    user.password = old_hash()
    user.save(update_fields=["password"])
    assert argon2_parameters_or_none(user.password) != SITE_PARAMETERS

    sign_in(Client(), user)

    user.refresh_from_db()
    assert argon2_parameters(user.password) == SITE_PARAMETERS
    assert user.check_password(PASSWORD)


@pytest.mark.django_db
def test_wrong_password_keeps_old_hash(client):
    user = create_user("alice")
    old = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.password = old
    user.save(update_fields=["password"])

    response = client.post(
        reverse("accounts:login"), {"username": "alice", "password": "wrong" * 4}
    )

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.password == old
