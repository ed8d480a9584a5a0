"""Tracking signed-in sessions per user, so that an admin can end them.

A ``UserSession`` row is written when ``login()`` runs and removed when the
user signs out. Ending a user's sessions deletes the session behind each row
through the configured session engine, so it works with database, cache and
file sessions alike. It costs one query per session of that user, not a scan
of every session on the site.
"""

import logging
from importlib import import_module

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest

from accounts.models import User, UserSession

logger = logging.getLogger(__name__)


def session_store_class():
    return import_module(settings.SESSION_ENGINE).SessionStore


@receiver(user_logged_in, dispatch_uid="accounts.user_sessions.record_session")
def record_session(sender, request: HttpRequest, user: User, **kwargs) -> None:
    """Store the key of the session that ``login()`` has just signed in."""
    if request is None or not hasattr(request, "session"):
        return

    # login() flushes a session that belonged to another user, which leaves
    # it without a key until it is saved.
    if request.session.session_key is None:
        request.session.save()

    UserSession.objects.update_or_create(
        session_key=request.session.session_key, defaults={"user": user}
    )
    forget_ended_sessions(user)


@receiver(user_logged_out, dispatch_uid="accounts.user_sessions.forget_session")
def forget_session(sender, request: HttpRequest, user: User | None, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    key = request.session.session_key
    if key:
        UserSession.objects.filter(session_key=key).delete()


def forget_ended_sessions(user: User) -> None:
    """Remove the user's rows whose sessions expired or were deleted elsewhere."""
    store = session_store_class()()
    for row in UserSession.objects.filter(user=user):
        if not store.exists(row.session_key):
            row.delete()


def end_sessions(user: User) -> int:
    """Delete every tracked session of ``user`` and return how many there were.

    NOTE: a session whose key was rotated without a new sign-in (Django's
    ``update_session_auth_hash`` does that) keeps running under a key this
    table does not know. Such a session still stops at its next request when
    the user is deactivated (Django rejects inactive users) or their devices
    are deleted (``RequireVerifiedSessionMiddleware``).
    """
    store_class = session_store_class()
    rows = list(UserSession.objects.filter(user=user))
    for row in rows:
        store_class(session_key=row.session_key).delete()
    UserSession.objects.filter(pk__in=[row.pk for row in rows]).delete()

    logger.info("Ended %d session(s) of user %s.", len(rows), user.pk)
    return len(rows)
