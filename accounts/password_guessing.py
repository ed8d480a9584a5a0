"""Limits on password guessing, built on django-axes with its state in the database.

Every password check goes through Django's ``authenticate()``, so axes receives
each failure through the ``user_login_failed`` signal and counts it twice:
once for the username and once for the client address. When either count
reaches ``PASSWORD_FAILURE_LIMIT``, that username or address is locked out:

- the lockout lasts ``PASSWORD_LOCKOUT_MINUTES`` after the failure that
  reached the limit, and each failure counted after a lockout has lifted
  doubles it, up to ``PASSWORD_LOCKOUT_MAX_MINUTES``;
- attempts during a lockout are rejected before the password is compared
  and are not counted, so every lockout lifts on time;
- failures are forgotten ``PASSWORD_FAILURE_MEMORY_HOURS`` after the last one.

A username counts the same whether or not an account has it, so neither the
lockout nor its duration tells an attacker which accounts exist.

Forms that check a password call ``check_password`` (or ``authenticate()``
directly); ``AxesMiddleware`` then replaces the response of a request that
is, or just became, locked out with ``lockout_response``.
"""

import enum
import logging
import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import wraps

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import make_password
from django.db.models import Max, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from accounts.client import client_address
from accounts.models import User

logger = logging.getLogger(__name__)

USERNAME_LENGTH = AccessAttempt._meta.get_field("username").max_length
# Request attribute holding the normalised username of the current check.
REQUEST_USERNAME = "password_guessing_username"
# 2 ** 20 minutes is far beyond any sensible cap; bounding the exponent keeps
# the arithmetic small whatever the failure count.
MAX_DOUBLINGS = 20


class PasswordCheck(enum.Enum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    LOCKED_OUT = "locked_out"


def lockout_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """Return the username that failures are counted against.

    SECURITY: usernames are unique regardless of case, so ``Alice`` and
    ``alice`` must share one count, or an attacker would get a fresh limit
    for every spelling. Django's username field also applies NFKC.
    """
    raw = (credentials or {}).get("username")
    if raw is None:
        raw = request.POST.get("username") if request.method == "POST" else None
    if not isinstance(raw, str):
        return None

    username = unicodedata.normalize("NFKC", raw).lower()[:USERNAME_LENGTH]
    setattr(request, REQUEST_USERNAME, username)
    return username


@dataclass(frozen=True)
class FailureHistory:
    """The remembered failures of one username or one client address."""

    failures: int
    last_failure_at: datetime | None
    limit: int

    def locked_until(self) -> datetime | None:
        if self.failures < self.limit or self.last_failure_at is None:
            return None
        return self.last_failure_at + lockout_duration(self.failures, self.limit)


def lockout_duration(failures: int, limit: int) -> timedelta:
    """Return how long a lockout lasts after ``failures`` remembered failures."""
    doublings = min(max(0, failures - limit), MAX_DOUBLINGS)
    minutes = settings.PASSWORD_LOCKOUT_MINUTES * 2**doublings
    return timedelta(minutes=min(minutes, settings.PASSWORD_LOCKOUT_MAX_MINUTES))


def failure_history(lookup: Q, limit: int) -> FailureHistory:
    totals = AccessAttempt.objects.filter(lookup).aggregate(
        failures=Sum("failures_since_start"), last=Max("attempt_time")
    )
    return FailureHistory(totals["failures"] or 0, totals["last"], limit)


def histories(request: HttpRequest) -> list[FailureHistory]:
    """Return the failure histories of the request's username and client address."""
    address = client_address(request)
    result = [failure_history(Q(ip_address=address), settings.PASSWORD_ADDRESS_FAILURE_LIMIT)]

    # Without a username there is no account to count against; a NULL lookup
    # would lump together every attempt that had none.
    username = getattr(request, REQUEST_USERNAME, None)
    if username is not None:
        result.append(failure_history(Q(username=username), settings.PASSWORD_FAILURE_LIMIT))
    return result


def locked_until(request: HttpRequest) -> datetime | None:
    """Return when the request's username or address lockout lifts, or None if neither is locked."""
    now = timezone.now()
    ends = [end for history in histories(request) if (end := history.locked_until()) is not None]
    ends = [end for end in ends if end > now]
    return max(ends, default=None)


def cool_off(request: HttpRequest | None) -> timedelta:
    """Return the current lockout duration for the client of ``request`` (AXES_COOLOFF_TIME)."""
    if request is None:
        return lockout_duration(0, 1)

    longest = timedelta(0)
    for history in histories(request):
        longest = max(longest, lockout_duration(history.failures, history.limit))
    return longest


class LockoutHandler(AxesDatabaseHandler):
    """The axes database handler, with growing lockouts and a fixed failure memory.

    The stock handler counts the failures of the last cool-off period and
    deletes older ones, using the cool-off of the request at hand. With a
    cool-off that grows per client, that would let a client spread its
    guesses thinly, and a request of a client with few failures would delete
    the longer history of every other client. Here failures are kept for
    ``PASSWORD_FAILURE_MEMORY_HOURS`` and a username or address is locked
    while its lockout, counted from its last failure, is in force.
    """

    def get_failures(self, request, credentials=None) -> int:
        # Axes compares the result with AXES_FAILURE_LIMIT: report the limit
        # while locked out and one less otherwise.
        lockout_username(request, credentials)
        if locked_until(request) is not None:
            return settings.AXES_FAILURE_LIMIT
        return settings.AXES_FAILURE_LIMIT - 1

    def clean_expired_user_attempts(self, request=None, credentials=None) -> int:
        memory = timedelta(hours=settings.PASSWORD_FAILURE_MEMORY_HOURS)
        count, _ = AccessAttempt.objects.filter(attempt_time__lte=timezone.now() - memory).delete()
        if count:
            logger.info("Forgot %d password failure records older than %s.", count, memory)
        return count


class LockoutBackend(AxesStandaloneBackend):
    """Reject every password check while its username or address is locked out."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        try:
            return super().authenticate(request, username=username, password=password, **kwargs)
        except AxesBackendPermissionDenied:
            # SECURITY: hash the password as ModelBackend would, so that a
            # locked-out check takes as long as any other failed one.
            make_password(password)
            raise


def seconds_until_unlocked(request: HttpRequest) -> int:
    end = locked_until(request)
    if end is None:
        return 0
    return math.ceil((end - timezone.now()).total_seconds())


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """Render the lockout page (AXES_LOCKOUT_CALLABLE).

    SECURITY: the page depends only on the failure counts of what was typed
    and of the client address, never on whether the account exists.
    """
    if credentials:
        lockout_username(request, credentials)

    seconds = seconds_until_unlocked(request)
    context = {
        "minutes": max(1, math.ceil(seconds / 60)),
        "max_minutes": settings.PASSWORD_LOCKOUT_MAX_MINUTES,
    }
    response = render(request, "accounts/locked_out.html", context, status=429)
    response["Retry-After"] = str(seconds)
    add_never_cache_headers(response)
    return response


def check_password(request: HttpRequest, user: User, password: str) -> PasswordCheck:
    """Check ``password`` for ``user`` within the guessing limits.

    Use this on every form that requests the signed-in user's password
    (re-authentication, password change). A failure counts against the
    user's username and the client address like a failed sign-in. While
    either is locked out, the password is not compared at all. When the
    result is LOCKED_OUT, AxesMiddleware replaces the view's response with
    the lockout page.
    """
    authenticated = authenticate(request, username=user.get_username(), password=password)
    if authenticated is not None and authenticated.pk == user.pk:
        return PasswordCheck.ACCEPTED
    if getattr(request, "axes_locked_out", False):
        return PasswordCheck.LOCKED_OUT
    return PasswordCheck.REJECTED


def is_locked_out(request: HttpRequest, username: str | None = None) -> bool:
    """Return whether ``username`` (default: the signed-in user's) or the client is locked out."""
    if username is None and request.user.is_authenticated:
        username = request.user.get_username()
    credentials = {"username": username} if username is not None else None
    return not AxesProxyHandler.is_allowed(request, credentials)


def reject_when_locked_out(view: Callable) -> Callable:
    """Return the lockout page for a POST while the user or client is locked out.

    Put it on views whose POST checks the signed-in user's password, so a
    locked-out client sees the lockout page before filling in the form again.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "POST" and is_locked_out(request):
            return lockout_response(request)
        return view(request, *args, **kwargs)

    return wrapped
