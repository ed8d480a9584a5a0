"""SQLite connection set-up that the site's invariants depend on."""

from django.db.backends.signals import connection_created


def unicode_lower(value: str | None) -> str | None:
    return value.lower() if isinstance(value, str) else value


def install_unicode_lower(sender, connection, **kwargs) -> None:
    """Make SQLite's LOWER() fold every letter, not only ASCII ones.

    The case-insensitive unique constraints on username and email, and the
    lookups that match them, compare ``LOWER(column)``. SQLite's built-in
    LOWER() leaves ``Ä`` as it is, so ``älice`` and ``ÄLICE`` could both
    exist. The replacement is deterministic, as index expressions require.

    NOTE: a tool that opens the database file without this function (the
    sqlite3 shell, say) uses the built-in LOWER() and must not be used to
    insert or rename users with non-ASCII names.
    """
    if connection.vendor != "sqlite":
        return
    connection.connection.create_function("LOWER", 1, unicode_lower, deterministic=True)


def connect_signals() -> None:
    connection_created.connect(install_unicode_lower, dispatch_uid="accounts_unicode_lower")
