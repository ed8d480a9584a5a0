"""Signed-in sessions: their start and last-seen times, listing and ending them.

The session itself stores when it was signed in and when it was last seen,
as Unix times, for the timeouts in ``accounts.session_timeout``. A
``UserSession`` row mirrors each signed-in session so that the profile can
list a user's sessions and end the others.
"""

import enum
import logging
import time
from datetime import UTC, datetime

from django.contrib.auth import update_session_auth_hash
from django.contrib.sessions.models import Session
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from accounts import audit
from accounts.client import client_address, user_agent
from accounts.models import EventType, User, UserSession

logger = logging.getLogger(__name__)

STARTED_AT = "session_started_at"
LAST_SEEN_AT = "session_last_seen_at"
# Seconds between two writes of the last-seen time, so that a busy session is
# not saved on every request. The idle timeout may therefore end a session up
# to this much earlier than the last request plus the idle time.
LAST_SEEN_WRITE_SECONDS = 60


class Expiry(enum.Enum):
    IDLE = "idle"
    ABSOLUTE = "absolute"
    UNKNOWN_START = "unknown_start"


def as_datetime(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, tz=UTC)


def start(request: HttpRequest, user: User) -> None:
    """Record a new signed-in session; called from the ``user_logged_in`` signal."""
    now = time.time()
    request.session[STARTED_AT] = now
    request.session[LAST_SEEN_AT] = now
    if request.session.session_key is None:
        request.session.save()

    UserSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "created_at": as_datetime(now),
            "last_seen_at": as_datetime(now),
            "client_address": audit.valid_address(client_address(request)),
            "user_agent": user_agent(request),
        },
    )


def forget(request: HttpRequest) -> None:
    """Delete the row of the request's session; called from ``user_logged_out``."""
    key = request.session.session_key
    if key:
        UserSession.objects.filter(session_key=key).delete()


def expiry(session, now: float, idle_seconds: int, max_seconds: int) -> Expiry | None:
    """Return why a signed-in ``session`` has expired at ``now``, or None.

    A limit of zero seconds turns that timeout off. A session without a
    readable start time is treated as expired: it was not made by this site's
    sign-in.
    """
    started = session.get(STARTED_AT)
    last_seen = session.get(LAST_SEEN_AT)
    if not isinstance(started, (int, float)) or not isinstance(last_seen, (int, float)):
        return Expiry.UNKNOWN_START

    if max_seconds and now - started > max_seconds:
        return Expiry.ABSOLUTE
    if idle_seconds and now - last_seen > idle_seconds:
        return Expiry.IDLE
    return None


def touch(request: HttpRequest, now: float) -> None:
    """Move the last-seen time on, at most once a minute."""
    last_seen = request.session.get(LAST_SEEN_AT, 0)
    if now - last_seen < LAST_SEEN_WRITE_SECONDS:
        return

    request.session[LAST_SEEN_AT] = now
    key = request.session.session_key
    updated = UserSession.objects.filter(session_key=key).update(last_seen_at=as_datetime(now))
    if not updated and key:
        start_row_for_rotated_key(request, key, now)


def start_row_for_rotated_key(request: HttpRequest, key: str, now: float) -> None:
    """Recreate the row of a session whose key changed after sign-in."""
    started = request.session.get(STARTED_AT, now)
    UserSession.objects.create(
        user=request.user,
        session_key=key,
        created_at=as_datetime(started),
        last_seen_at=as_datetime(now),
        client_address=audit.valid_address(client_address(request)),
        user_agent=user_agent(request),
    )


def active_sessions(user: User) -> list[UserSession]:
    """Return the user's live sessions, newest activity first, dropping stale rows.

    A row is stale when its session is gone from the session table or has
    expired there, for example after its key was rotated.
    """
    live_keys = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    UserSession.objects.filter(user=user).exclude(session_key__in=live_keys).delete()
    return list(UserSession.objects.filter(user=user))


def end_other_sessions(request: HttpRequest) -> int:
    """Sign the user out everywhere but in this request's session; return how many ended.

    The sessions listed here are deleted at once. Raising ``session_generation``
    also changes the user's session auth hash, so a session missing from this
    list is signed out on its next request too. This session takes the new
    hash and a new key, and its row follows the key.
    """
    user = request.user
    current_key = request.session.session_key
    others = UserSession.objects.filter(user=user).exclude(session_key=current_key)
    keys = list(others.values_list("session_key", flat=True))

    Session.objects.filter(session_key__in=keys).delete()
    others.delete()

    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    update_session_auth_hash(request, user)
    UserSession.objects.filter(session_key=current_key).update(
        session_key=request.session.session_key
    )

    audit.record(EventType.SESSIONS_ENDED, request, user=user, detail=f"{len(keys)} ended")
    return len(keys)


def end_sessions(user: User) -> int:
    """Delete every signed-in session of ``user`` and return how many there were.

    Used when an admin deactivates the user or resets their two-factor
    sign-in. Raising ``session_generation`` also changes the user's session
    auth hash, so a session without a row here (its key was rotated after
    sign-in) is signed out at its next request too.
    """
    rows = UserSession.objects.filter(user=user)
    keys = list(rows.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    rows.delete()

    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)

    logger.info("Ended %d session(s) of user %s.", len(keys), user.pk)
    return len(keys)
