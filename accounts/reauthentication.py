"""Re-authentication: a fresh password and code before changing security settings.

Changing the password, the email address, the authenticator or the recovery
codes needs the password and a current code (TOTP or recovery code) entered in
the last ``REAUTHENTICATION_SECONDS``, either at sign-in or on the
re-authentication page. A request without one is sent to that page and comes
back afterwards, with the fields of a form it had posted filled in again.
"""

import logging
import time
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse

from accounts.client import client_address

logger = logging.getLogger(__name__)

VERIFIED_AT = "reauthenticated_at"
PENDING_FORM = "reauthentication_pending_form"

# Posted forms larger than this are not kept: no form of the site comes close.
MAX_KEPT_FIELDS = 50
MAX_KEPT_VALUE_LENGTH = 2000


def record(request: HttpRequest) -> None:
    """Note that the password and a code were just entered in this session."""
    request.session[VERIFIED_AT] = time.time()


def is_recent(request: HttpRequest) -> bool:
    verified_at = request.session.get(VERIFIED_AT)
    if not isinstance(verified_at, (int, float)):
        return False
    return 0 <= time.time() - verified_at <= settings.REAUTHENTICATION_SECONDS


def kept_fields(request: HttpRequest) -> dict[str, list[str]] | None:
    """Return the posted fields worth keeping across re-authentication, or None.

    SECURITY: the CSRF token, password fields and every field the view marks
    with ``sensitive_post_parameters`` (codes, passwords) are left out. The
    session is stored in the database as readable JSON, so a kept password
    would sit there in cleartext long after the request. A kept code would
    have expired by the time the form is shown again anyway.
    """
    sensitive = getattr(request, "sensitive_post_parameters", [])
    fields = {}
    for name, values in request.POST.lists():
        lowered = name.lower()
        if name == "csrfmiddlewaretoken" or "password" in lowered:
            continue
        if sensitive == "__ALL__" or name in sensitive:
            continue
        fields[name] = values

    too_long = any(len(value) > MAX_KEPT_VALUE_LENGTH for v in fields.values() for value in v)
    if len(fields) > MAX_KEPT_FIELDS or too_long:
        return None
    return fields


def redirect_to_reauthenticate(request: HttpRequest) -> HttpResponse:
    """Keep a posted form's fields and send the user to the re-authentication page."""
    request.session.pop(PENDING_FORM, None)
    if request.method == "POST":
        fields = kept_fields(request)
        if fields is not None:
            request.session[PENDING_FORM] = {"path": request.path, "fields": fields}

    logger.info(
        "Re-authentication needed for %s by user %s from %s.",
        request.path,
        request.user.pk,
        client_address(request),
    )
    query = urlencode({"next": request.get_full_path()})
    return redirect(f"{reverse('users:reauthenticate')}?{query}")


def restored_form_data(request: HttpRequest) -> dict | None:
    """Return and forget the fields kept for the form at this path, as initial data.

    A field posted once gives a string, a field posted several times a list.
    """
    pending = request.session.get(PENDING_FORM)
    if not isinstance(pending, dict) or pending.get("path") != request.path:
        return None

    del request.session[PENDING_FORM]
    data = QueryDict(mutable=True)
    for name, values in pending.get("fields", {}).items():
        data.setlist(name, [str(value) for value in values])
    return {name: values[0] if len(values) == 1 else values for name, values in data.lists()}


def reauthentication_required(view: Callable) -> Callable:
    """Let signed-in users through only after a recent re-authentication.

    Anonymous visitors get the sign-in page. Every method is checked, so the
    user re-authenticates before filling in a form rather than after.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_recent(request):
            return redirect_to_reauthenticate(request)
        return view(request, *args, **kwargs)

    return login_required(wrapped)
