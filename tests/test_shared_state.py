"""State that must hold across gunicorn workers lives in the database.

With several worker processes, or several machines on PostgreSQL, each
process has its own per-process cache (Django's default LocMemCache).
Throttling, replay protection, lockouts or sessions kept there would hold in
one process and not in the next.
"""

import ast
from pathlib import Path

from django.conf import settings

ACCOUNTS_DIR = Path(__file__).resolve().parent.parent / "accounts"


def test_sessions_are_stored_in_database():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
    return modules


def test_accounts_code_does_not_use_django_cache():
    users = [
        str(path.relative_to(ACCOUNTS_DIR))
        for path in ACCOUNTS_DIR.rglob("*.py")
        if any(module.startswith("django.core.cache") for module in imported_modules(path))
    ]

    assert users == [], "security state must live in the database, not a per-process cache"
