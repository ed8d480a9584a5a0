"""The single-use link that creates the first admin on an empty database."""

import hashlib
import hmac
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import FirstAdminToken, User

logger = logging.getLogger(__name__)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def issue_token() -> str | None:
    """Return a new first-admin token, or None if any user already exists.

    Older tokens are deleted, so only the most recently printed link works.
    """
    if User.objects.exists():
        return None

    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        FirstAdminToken.objects.all().delete()
        FirstAdminToken.objects.create(digest=digest(token))
    logger.info("Issued a first-admin link.")
    return token


def token_is_valid(token: str) -> bool:
    """Return True if ``token`` opens the first-admin page right now.

    SECURITY: the link works only while no user exists, only within
    ``FIRST_ADMIN_LINK_HOURS`` of being printed, and only with the exact
    token, compared in constant time against the stored digest.
    """
    if User.objects.exists():
        return False

    oldest_allowed = timezone.now() - timedelta(hours=settings.FIRST_ADMIN_LINK_HOURS)
    expected = digest(token)
    for stored in FirstAdminToken.objects.filter(created_at__gte=oldest_allowed):
        if hmac.compare_digest(stored.digest, expected):
            return True
    return False


def consume_tokens() -> None:
    FirstAdminToken.objects.all().delete()
