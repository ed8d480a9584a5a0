"""Middleware that ends signed-in sessions after an idle time and a maximum age."""

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import audit, user_sessions
from accounts.models import EventType
from accounts.user_sessions import Expiry

logger = logging.getLogger(__name__)


def expiry_message(reason: Expiry) -> str:
    if reason is Expiry.IDLE:
        minutes = settings.SESSION_IDLE_MINUTES
        return ngettext(
            "You were signed out after %(minutes)d minute without activity. Sign in again.",
            "You were signed out after %(minutes)d minutes without activity. Sign in again.",
            minutes,
        ) % {"minutes": minutes}
    if reason is Expiry.ABSOLUTE:
        hours = settings.SESSION_MAX_HOURS
        return ngettext(
            "You were signed out because sessions last at most %(hours)d hour. Sign in again.",
            "You were signed out because sessions last at most %(hours)d hours. Sign in again.",
            hours,
        ) % {"hours": hours}
    return _("Your session has ended. Sign in again.")


class SessionTimeoutMiddleware:
    """Sign out a session idle for SESSION_IDLE_MINUTES or older than SESSION_MAX_HOURS.

    Must come after AuthenticationMiddleware and MessageMiddleware. The
    request then goes on as an anonymous one, so a page that needs a
    signed-in user sends the browser to the sign-in page, which shows why.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            self.enforce(request)
        return self.get_response(request)

    def enforce(self, request) -> None:
        now = time.time()
        reason = user_sessions.expiry(
            request.session,
            now,
            idle_seconds=settings.SESSION_IDLE_MINUTES * 60,
            max_seconds=settings.SESSION_MAX_HOURS * 3600,
        )
        if reason is None:
            user_sessions.touch(request, now)
            return

        user = request.user
        logout(request)
        audit.record(EventType.SIGNED_OUT, request, user=user, detail=f"{reason.value} timeout")
        messages.info(request, expiry_message(reason))
