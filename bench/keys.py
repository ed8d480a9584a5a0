"""Usernames and TOTP keys of seeded users, without Django, for the load driver."""

import hashlib
import hmac


def device_key(key_seed: bytes, username: str) -> bytes:
    """Return the 20-byte TOTP key of ``username``'s seeded device."""
    return hmac.new(key_seed, username.encode(), hashlib.sha1).digest()


def username_for(prefix: str, number: int) -> str:
    return f"{prefix}{number:06d}"
