"""Ending a user's other sessions after a change to how they sign in."""

from django.contrib.auth import update_session_auth_hash
from django.db.models import F
from django.http import HttpRequest

from accounts import audit
from accounts.models import EventType, User


def end_other_sessions(request: HttpRequest, user: User) -> None:
    """Sign ``user`` out everywhere except in this request's session.

    Raising ``session_generation`` changes the user's session auth hash, so
    Django flushes every session holding the old hash on its next request.
    This session gets the new hash and a new key.
    """
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    update_session_auth_hash(request, user)

    audit.record(EventType.SESSIONS_ENDED, request, user=user)
