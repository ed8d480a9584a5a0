"""Password hashers beyond Django's own."""

from django.contrib.auth.hashers import Argon2PasswordHasher, BCryptPasswordHasher

# bcrypt reads at most this many bytes of a password.
BCRYPT_MAX_PASSWORD_BYTES = 72


class SiteArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with 64 MiB of memory, 3 passes and 1 lane.

    64 MiB and 3 passes are RFC 9106's recommendation for machines with little
    memory (section 4, second option), well above OWASP's minimum of 19 MiB
    and 2 passes. One lane instead of Django's 8 keeps each verification on
    one core. A server verifies many passwords at once, so extra lanes only
    make concurrent sign-ins compete for the same cores. One verification
    takes about 0.2 s on an idle core of the machine in docs/benchmarks.md.

    The algorithm name stays ``argon2``, so this hasher also verifies hashes
    made with other Argon2 parameters, and ``must_update`` reports them, so
    Django rehashes the password with these parameters at the next sign-in.
    """

    time_cost = 3
    memory_cost = 65536  # KiB
    parallelism = 1


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
