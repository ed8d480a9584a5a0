"""Password hashers beyond Django's own."""

from django.contrib.auth.hashers import BCryptPasswordHasher

# bcrypt reads at most this many bytes of a password.
BCRYPT_MAX_PASSWORD_BYTES = 72


class LegacyBCryptPasswordHasher(BCryptPasswordHasher):
    """Django's ``bcrypt`` hasher, for hashes imported from the FastAPI app.

    Those hashes were made by bcrypt, which used only the first 72 bytes of a
    password. bcrypt 5.0 raises ValueError for a longer password instead, so
    Django's hasher would turn a long password at sign-in into a server error
    and lock out a user whose password is longer than 72 bytes. This hasher
    cuts the password to 72 bytes first, as bcrypt did when it made the hash.

    It is listed after Argon2 in ``PASSWORD_HASHERS``, so it only checks
    passwords; a correct password is rehashed with Argon2 at once.
    """

    def encode(self, password: str, salt: bytes) -> str:
        bcrypt = self._load_library()
        secret = password.encode()[:BCRYPT_MAX_PASSWORD_BYTES]
        data = bcrypt.hashpw(secret, salt)
        return f"{self.algorithm}${data.decode('ascii')}"
