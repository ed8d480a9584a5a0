"""Recovery codes as values: generating, formatting, parsing and hashing them.

These are pure functions with no database access. The device that stores a
set and checks a submitted code is ``accounts.models.RecoveryCodeDevice``;
issuing a set and using a code are in ``accounts.recovery``.
"""

import hashlib
import hmac
import math
import re
import secrets

# Lower-case letters and digits without the look-alikes 0, o, 1, l and i, so a
# code read off paper is typed right the first time. Input is lower-cased
# first, so upper-case letters are accepted too.
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
GROUP_LENGTH = 4
GROUPS = 3
CODE_LENGTH = GROUP_LENGTH * GROUPS
CODES_PER_SET = 10

# 12 characters from 31 symbols: 12 * log2(31) = 59.4 bits per code.
ENTROPY_BITS = CODE_LENGTH * math.log2(len(ALPHABET))

SALT_BYTES = 16
CODE_PATTERN = re.compile(f"[{ALPHABET}]{{{CODE_LENGTH}}}", re.ASCII)
SEPARATORS = str.maketrans("", "", " -")


def generate_code() -> str:
    """Return a new random code in its compact form, without separators."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """Return ``code`` in groups of four joined by hyphens: ``abcd-efgh-jkmn``."""
    return "-".join(code[i : i + GROUP_LENGTH] for i in range(0, len(code), GROUP_LENGTH))


def normalize_code(raw: str) -> str | None:
    """Return ``raw`` lower-cased without spaces and hyphens, or None if it is no code.

    A six-digit TOTP code is never a recovery code: it is too short.
    """
    compact = raw.lower().translate(SEPARATORS)
    if CODE_PATTERN.fullmatch(compact) is None:
        return None
    return compact


def new_salt() -> str:
    return secrets.token_hex(SALT_BYTES)


def digest(salt: str, code: str) -> str:
    """Return the hex HMAC-SHA256 of the compact ``code``, keyed with the device's salt.

    SECURITY: a fast hash is enough here, unlike for passwords. Each code has
    about 59 bits of entropy, so trying every code against a stolen digest
    costs around 2**58 HMACs on average, and the per-device salt means that
    work cannot be shared between users or sets. A slow hash would add
    nothing but load on every sign-in with a recovery code.
    """
    return hmac.new(bytes.fromhex(salt), code.encode("ascii"), hashlib.sha256).hexdigest()
