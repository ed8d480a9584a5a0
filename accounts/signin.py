"""The two steps of signing in, and the pending state between them.

After the password step the session holds only a pending sign-in: the user's
id, the authentication backend, a hash that changes with the password, and the
time of the password step. Django's ``login()`` runs only after a valid code,
so an authenticated session always has both factors.
"""

import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import load_backend
from django.contrib.auth import login as auth_login
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp.models import Device

from accounts import audit
from accounts.client import client_address
from accounts.models import EventType, User

logger = logging.getLogger(__name__)

PENDING_USER_ID = "signin_pending_user_id"
PENDING_BACKEND = "signin_pending_backend"
PENDING_AUTH_HASH = "signin_pending_auth_hash"
PENDING_STARTED_AT = "signin_pending_started_at"
PENDING_NEXT_URL = "signin_pending_next_url"
PENDING_KEYS = (
    PENDING_USER_ID,
    PENDING_BACKEND,
    PENDING_AUTH_HASH,
    PENDING_STARTED_AT,
    PENDING_NEXT_URL,
)


@dataclass(frozen=True)
class PendingSignin:
    user: User
    backend: str
    next_url: str


def begin(request: HttpRequest, user: User, next_url: str = "") -> None:
    """Record a passed password step and rotate the session key.

    The password itself is never stored. Rotating the key means a session id
    planted before the password step is worthless after it.
    """
    clear(request)
    request.session.cycle_key()

    request.session[PENDING_USER_ID] = str(user.pk)
    request.session[PENDING_BACKEND] = user.backend
    request.session[PENDING_AUTH_HASH] = user.get_session_auth_hash()
    request.session[PENDING_STARTED_AT] = time.time()
    request.session[PENDING_NEXT_URL] = next_url

    audit.record(EventType.PASSWORD_PASSED, request, user=user)


def get_pending(request: HttpRequest) -> PendingSignin | None:
    """Return the pending sign-in of this session, or None.

    A pending sign-in ends when it is older than ``SIGNIN_PENDING_TIMEOUT``,
    when the user is gone or inactive, or when the password has changed since
    the password step.
    """
    session = request.session
    if PENDING_USER_ID not in session:
        return None

    started_at = session.get(PENDING_STARTED_AT)
    if not isinstance(started_at, (int, float)):
        clear(request)
        return None
    if time.time() - started_at > settings.SIGNIN_PENDING_TIMEOUT:
        logger.info("Pending sign-in expired from %s.", client_address(request))
        clear(request)
        return None

    user = load_pending_user(session)
    if user is None:
        clear(request)
        return None

    return PendingSignin(
        user=user,
        backend=session[PENDING_BACKEND],
        next_url=session.get(PENDING_NEXT_URL, ""),
    )


def load_pending_user(session) -> User | None:
    backend_path = session.get(PENDING_BACKEND)
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return None

    user = load_backend(backend_path).get_user(session[PENDING_USER_ID])
    if user is None:
        return None

    stored_hash = session.get(PENDING_AUTH_HASH, "")
    if not constant_time_compare(stored_hash, user.get_session_auth_hash()):
        return None
    return user


def clear(request: HttpRequest) -> None:
    for key in PENDING_KEYS:
        request.session.pop(key, None)


def complete(
    request: HttpRequest, pending: PendingSignin, device: Device, trusted: bool = False
) -> None:
    """Log the user in after a valid code from ``device``, or from a browser trusted for it.

    Django's ``login()`` rotates the session key a second time; django-otp's
    ``login()`` marks the session as verified by ``device``.
    """
    clear(request)
    auth_login(request, pending.user, backend=pending.backend)
    otp_login(request, device)

    detail = f"{device.persistent_id}, trusted browser" if trusted else device.persistent_id
    audit.record(EventType.SIGNIN_SUCCEEDED, request, user=pending.user, detail=detail)


def safe_next_url(request: HttpRequest, candidate: str | None) -> str:
    """Return ``candidate`` if it points at this site, else an empty string."""
    if not candidate:
        return ""

    allowed = url_has_allowed_host_and_scheme(
        candidate,
        allowed_hosts={request.get_host()},
        require_https=request.is_secure(),
    )
    return candidate if allowed else ""
