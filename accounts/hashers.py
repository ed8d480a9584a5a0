"""The password hasher with the site's Argon2id parameters."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class SiteArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with 64 MiB of memory, 3 passes and 1 lane.

    64 MiB and 3 passes are RFC 9106's recommendation for machines with little
    memory (section 4, second option), well above OWASP's minimum of 19 MiB
    and 2 passes. One lane instead of Django's 8 keeps each verification on
    one core: a server verifies many passwords at once, so extra lanes only
    make concurrent sign-ins compete for the same cores, and the cost of a
    sign-in stays one core for the time measured in docs/benchmarks.md (about
    0.2 s on the reference machine).

    The algorithm name stays ``argon2``, so this hasher also verifies hashes
    made with other Argon2 parameters, and ``must_update`` reports them, so
    Django rehashes the password with these parameters at the next sign-in.
    """

    time_cost = 3
    memory_cost = 65536  # KiB
    parallelism = 1
