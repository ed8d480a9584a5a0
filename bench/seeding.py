"""Filling a database with many enrolled users quickly, for benchmarks and tests.

Every user gets the same password, hashed once, and a confirmed TOTP device
whose key is derived from a seed and the username, so a load driver that
has the seed computes every user's codes without reading the database.
Never run this against a database that real people use.
"""

from collections.abc import Iterator

from django.contrib.auth.hashers import make_password
from django.db import transaction

from accounts import encryption
from accounts.models import AuthEvent, EventType, Role, TOTPDevice, User
from bench.keys import device_key, username_for

BATCH_SIZE = 1000
FIRST_NAMES = ["Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Radia"]
LAST_NAMES = ["Lovelace", "Turing", "Hopper", "Dijkstra", "Liskov", "Knuth", "Allen", "Smith"]


def full_name_for(number: int) -> str:
    first = FIRST_NAMES[number % len(FIRST_NAMES)]
    last = LAST_NAMES[(number // len(FIRST_NAMES)) % len(LAST_NAMES)]
    return f"{first} {last}"


def batches(start: int, stop: int) -> Iterator[range]:
    for batch_start in range(start, stop, BATCH_SIZE):
        yield range(batch_start, min(batch_start + BATCH_SIZE, stop))


@transaction.atomic
def seed_users(
    *,
    count: int,
    password: str,
    key_seed: bytes,
    prefix: str = "user",
    start: int = 0,
    role: str = Role.USER,
    events_per_user: int = 0,
) -> None:
    """Create ``count`` users numbered from ``start``, each with a confirmed device.

    ``events_per_user`` audit events are added for each user, so that pages
    can be measured with a long audit log too.
    """
    password_hash = make_password(password)
    for numbers in batches(start, start + count):
        users = User.objects.bulk_create(
            User(
                username=username_for(prefix, number),
                email=f"{username_for(prefix, number)}@example.com",
                full_name=full_name_for(number),
                password=password_hash,
                role=role,
            )
            for number in numbers
        )
        TOTPDevice.objects.bulk_create(
            TOTPDevice(
                user=user,
                name="Authenticator app",
                confirmed=True,
                encrypted_key=encryption.encrypt(device_key(key_seed, user.username)),
            )
            for user in users
        )
        AuthEvent.objects.bulk_create(
            AuthEvent(
                user=user,
                username=user.username,
                event_type=EventType.PASSWORD_PASSED,
                succeeded=True,
                client_address="127.0.0.1",
            )
            for user in users
            for _ in range(events_per_user)
        )
