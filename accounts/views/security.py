"""Account security pages of the signed-in user.

Re-authentication (password and a code, or password and a recovery code),
password change, replacing the authenticator app, and forgetting trusted
browsers. Changes to how the user signs in need a recent re-authentication
(``reauthentication_required``) and end the user's other sessions.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from accounts import audit, enrolment, notices, reauthentication, signin, trusted_browsers
from accounts.forms import CodeForm
from accounts.models import EventType
from accounts.password_guessing import reject_when_locked_out
from accounts.security_forms import (
    PasswordChangeForm,
    ReauthenticationForm,
    RecoveryReauthenticationForm,
)
from accounts.user_sessions import end_other_sessions
from accounts.verification import Outcome, throttle_wait_seconds
from accounts.views.recovery_signin import check_recovery_code, record_use
from accounts.views.signin import check_code, enrolment_context

logger = logging.getLogger(__name__)


def reauthenticated(request: HttpRequest, form, detail: str) -> HttpResponse:
    """Record a passed re-authentication and return to the page that asked for it.

    Checking the password may have rehashed it with the current hasher, which
    changes the session auth hash, so this session takes the new hash (and a
    new key) instead of being signed out on its next request.
    """
    update_session_auth_hash(request, form.authenticated_user)
    reauthentication.record(request)
    audit.record(EventType.REAUTHENTICATED, request, user=request.user, detail=detail)

    next_url = signin.safe_next_url(request, request.GET.get("next"))
    return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


def reauthentication_failed(request: HttpRequest, form) -> None:
    if form.is_bound:
        audit.record(EventType.REAUTHENTICATED, request, user=request.user, succeeded=False)


@sensitive_post_parameters("password", "code")
@csrf_protect
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@reject_when_locked_out
def reauthenticate(request: HttpRequest) -> HttpResponse:
    """Ask for the password and the current authenticator code again.

    The code is checked only after the password is right, so a wrong password
    does not use up a code or count against the device's throttle.
    """
    device = enrolment.confirmed_device(request.user)
    data = request.POST if request.method == "POST" else None
    form = ReauthenticationForm(request, request.user, data)
    accepted = form.is_bound and device is not None and check_code(request, form, device)
    if accepted is Outcome.ACCEPTED:
        return reauthenticated(request, form, device.persistent_id)

    reauthentication_failed(request, form)
    context = {
        "form": form,
        "wait_seconds": throttle_wait_seconds(device) if device is not None else 0,
        "next_url": signin.safe_next_url(request, request.GET.get("next")),
    }
    return render(request, "users/reauthenticate.html", context)


@sensitive_post_parameters("password", "recovery_code")
@csrf_protect
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@reject_when_locked_out
def reauthenticate_with_recovery_code(request: HttpRequest) -> HttpResponse:
    """Ask for the password and one recovery code, which is then used up."""
    data = request.POST if request.method == "POST" else None
    form = RecoveryReauthenticationForm(request, request.user, data)
    if form.is_bound and check_recovery_code(request, form, request.user) is not None:
        record_use(request, request.user)
        return reauthenticated(request, form, "recovery code")

    reauthentication_failed(request, form)
    context = {"form": form, "next_url": signin.safe_next_url(request, request.GET.get("next"))}
    return render(request, "users/reauthenticate_recovery.html", context)


@sensitive_post_parameters()
@csrf_protect
@never_cache
@reauthentication.reauthentication_required
@require_http_methods(["GET", "POST"])
@reject_when_locked_out
def change_password(request: HttpRequest) -> HttpResponse:
    """Change the password; this session stays signed in and all others end.

    ``end_other_sessions`` deletes the other sessions and gives this one the
    new hash and a new key. Any other session still contains a hash of the
    old password, so Django would sign it out on its next request anyway.
    Trusted-browser cookies carry a fingerprint of the old password hash and
    stop working too.
    """
    user = request.user
    form = PasswordChangeForm(request, user, request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        form.save()
        end_other_sessions(request)
        audit.record(EventType.PASSWORD_CHANGED, request, user=user)
        notices.password_changed(user, request)
        messages.success(
            request, _("Your password is changed. Other browsers have been signed out.")
        )
        return redirect("users:me")

    return render(request, "users/password_change.html", {"form": form})


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@reauthentication.reauthentication_required
@require_http_methods(["GET", "POST"])
def replace_authenticator(request: HttpRequest) -> HttpResponse:
    """Set up a new authenticator app in place of the current one.

    The new device stays unconfirmed, and the old one keeps working, until
    the user enters a valid code from the new one. Then the old device is
    deleted, this session is verified by the new one and other sessions end.
    """
    user = request.user
    device = enrolment.pending_device(user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_bound and check_code(request, form, device) is Outcome.ACCEPTED:
        enrolment.confirm(device)
        otp_login(request, device)
        end_other_sessions(request)
        audit.record(EventType.DEVICE_REPLACED, request, user=user, detail=device.persistent_id)
        notices.authenticator_replaced(user, request)
        messages.success(
            request, _("Your new authenticator app is set up. Codes from the old one stop working.")
        )
        return redirect("users:me")

    return render(request, "users/replace_authenticator.html", enrolment_context(device, form))


@csrf_protect
@never_cache
@login_required
@require_POST
def forget_trusted_browsers(request: HttpRequest) -> HttpResponse:
    """Make every browser the user trusted ask for a code again, this one included."""
    trusted_browsers.forget_all(request.user)
    audit.record(EventType.TRUSTED_BROWSERS_FORGOTTEN, request, user=request.user)
    messages.success(request, _("All your browsers will ask for a code at the next sign-in."))

    response = redirect("users:me")
    trusted_browsers.forget(response)
    return response
