"""Encryption of TOTP secrets at rest, with key rotation.

Secrets are encrypted with Fernet (AES-128-CBC with HMAC-SHA256) under the
keys in ``settings.TOTP_ENCRYPTION_KEYS``. The first key encrypts and every
key decrypts. So a new key can be put first while old ciphertexts still
open, and ``rotate_totp_keys`` then re-encrypts them under the new key.
"""

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class SecretDecryptionError(Exception):
    """A stored secret could not be decrypted with any configured key."""


@cache
def keyring(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            "DJANGO_TOTP_ENCRYPTION_KEYS contains an invalid key: each key must be "
            "a Fernet key (32 url-safe base64-encoded bytes). Generate one with "
            "'python manage.py generate_totp_key'."
        ) from error


def current_keyring() -> MultiFernet:
    return keyring(tuple(settings.TOTP_ENCRYPTION_KEYS))


def encrypt(secret: bytes) -> str:
    return current_keyring().encrypt(secret).decode("ascii")


def decrypt(ciphertext: str) -> bytes:
    try:
        return current_keyring().decrypt(ciphertext.encode("ascii"))
    except (InvalidToken, UnicodeEncodeError) as error:
        raise SecretDecryptionError(
            "A TOTP secret could not be decrypted: is its key missing from "
            "DJANGO_TOTP_ENCRYPTION_KEYS?"
        ) from error


def reencrypt(ciphertext: str) -> str:
    """Return ``ciphertext`` encrypted under the current first key."""
    return current_keyring().rotate(ciphertext.encode("ascii")).decode("ascii")
