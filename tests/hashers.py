"""Argon2 hashers for tests: the real algorithm, at a cost that keeps tests quick."""

from django.contrib.auth.hashers import Argon2PasswordHasher

FAST_HASHERS = ["tests.hashers.CountingArgon2Hasher"]


class CountingArgon2Hasher(Argon2PasswordHasher):
    """Argon2id with minimal cost, counting each hash and verification it does."""

    time_cost = 1
    memory_cost = 64
    parallelism = 1
    calls = 0

    def encode(self, password, salt):
        type(self).calls += 1
        return super().encode(password, salt)

    def verify(self, password, encoded):
        type(self).calls += 1
        return super().verify(password, encoded)
