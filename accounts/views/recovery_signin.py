"""Signing in or re-authenticating with a recovery code instead of a TOTP code.

The recovery code has its own page and field: a TOTP code is never accepted
there, and a recovery code never in the TOTP field.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts import audit, enrolment, notices, reauthentication, recovery, signin
from accounts.models import EventType, RecoveryCodeDevice, User
from accounts.security_forms import RecoveryCodeForm
from accounts.verification import Outcome, throttle_wait_seconds
from accounts.views.signin import load_pending, wait_message

logger = logging.getLogger(__name__)


def remaining_message(count: int) -> str:
    """Return how many codes are left, with advice when few are."""
    text = ngettext(
        "You have %(count)d recovery code left.",
        "You have %(count)d recovery codes left.",
        count,
    ) % {"count": count}
    if count <= recovery.FEW_CODES_LEFT:
        text += " " + _("Generate a new set from your profile soon.")
    return text


def record_use(request: HttpRequest, user: User) -> None:
    """Audit, notify and tell the user after a recovery code was accepted."""
    count = recovery.remaining_count(user)
    audit.record(EventType.RECOVERY_CODE_USED, request, user=user, detail=f"{count} left")
    notices.recovery_code_used(user, request, count)

    level = messages.WARNING if count <= recovery.FEW_CODES_LEFT else messages.INFO
    messages.add_message(request, level, remaining_message(count))


def check_recovery_code(
    request: HttpRequest, form, user: User, field: str = "recovery_code"
) -> RecoveryCodeDevice | None:
    """Use up the submitted recovery code; return its device, or None with a form error."""
    if not form.is_valid():
        return None

    device = recovery.device_of(user)
    outcome = Outcome.REJECTED
    if device is not None:
        outcome = recovery.use_code(device, form.cleaned_data[field])
    if outcome is Outcome.ACCEPTED:
        return device

    audit.record(EventType.RECOVERY_CODE_FAILED, request, user=user, succeeded=False)
    text = _("That recovery code is not valid or was already used.")
    wait = throttle_wait_seconds(device) if device is not None else 0
    if wait > 0:
        text += " " + wait_message(wait)
    form.add_error(field, text)
    return None


@sensitive_post_parameters("recovery_code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def recovery_step(request: HttpRequest) -> HttpResponse:
    """Second sign-in step for users without their authenticator: one recovery code.

    Reached from the code step. A valid code signs the user in with the
    recovery code device, so the session is verified as after a TOTP code.
    """
    pending = load_pending(request)
    if pending is None:
        return redirect("accounts:login")
    if enrolment.confirmed_device(pending.user) is None:
        return redirect("accounts:enrol")

    form = RecoveryCodeForm(request.POST if request.method == "POST" else None)
    device = check_recovery_code(request, form, pending.user) if form.is_bound else None
    if device is not None:
        signin.complete(request, pending, device)
        reauthentication.record(request)
        record_use(request, pending.user)
        return redirect(pending.next_url or resolve_url(settings.LOGIN_REDIRECT_URL))

    device = recovery.device_of(pending.user)
    wait = throttle_wait_seconds(device) if device is not None else 0
    return render(request, "accounts/recovery.html", {"form": form, "wait_seconds": wait})
