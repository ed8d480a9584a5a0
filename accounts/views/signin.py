"""Views of the sign-in flow: password step, code step, enrolment, sign-out.

The flow is: ``password_step`` starts a pending sign-in, then ``code_step``
(for users with a confirmed device) or ``enrol_step`` (for users without one)
checks a code and completes the sign-in. A browser the user trusted skips the
code step, and ``recovery_step`` (in ``recovery_signin``) takes a recovery code
in place of a TOTP code. Each view is thin: the state lives in
``accounts.signin`` and the checks in ``accounts.verification``.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts import audit, enrolment, reauthentication, recovery, signin, trusted_browsers
from accounts.forms import CodeForm, PasswordStepForm
from accounts.models import EventType, TOTPDevice
from accounts.security_forms import CodeStepForm
from accounts.verification import Outcome, throttle_wait_seconds, verify_code
from accounts.views.recovery_codes import show_new_codes

logger = logging.getLogger(__name__)

REDIRECT_FIELD_NAME = "next"

CODE_EVENTS = {
    Outcome.REJECTED: EventType.CODE_FAILED,
    Outcome.REPLAYED: EventType.CODE_REPLAYED,
    Outcome.THROTTLED: EventType.CODE_THROTTLED,
}


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def password_step(request: HttpRequest) -> HttpResponse:
    """Check username and password, then hand over to the code or enrolment step."""
    requested_next = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME)
    next_url = signin.safe_next_url(request, requested_next)
    if request.user.is_authenticated:
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)

    form = PasswordStepForm(request, data=request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        user = form.get_user()
        signin.begin(request, user, next_url)
        step = next_step_for(user)
        # A trusted browser replaces only the code step, never a required
        # new password or enrolment.
        device = trusted_browsers.trusted_device(request, user) if step == "accounts:code" else None
        if device is not None:
            return finish(request, signin.get_pending(request), device, trusted=True)
        return redirect(step)

    if form.is_bound:
        username = str(request.POST.get("username", ""))
        audit.record(EventType.PASSWORD_FAILED, request, username=username, succeeded=False)

    context = {"form": form, "next_url": next_url}
    return render(request, "accounts/login.html", context)


def next_step_for(user) -> str:
    if user.must_change_password:
        return "accounts:new-password"
    if enrolment.confirmed_device(user) is None:
        return "accounts:enrol"
    return "accounts:code"


def load_pending(request: HttpRequest) -> signin.PendingSignin | None:
    """Return the pending sign-in, telling the user if it just expired."""
    had_pending = signin.PENDING_USER_ID in request.session
    pending = signin.get_pending(request)
    if pending is None and had_pending:
        messages.warning(request, _("Your sign-in timed out. Enter your password again."))
    return pending


def finish(
    request: HttpRequest, pending: signin.PendingSignin, device: TOTPDevice, trusted: bool = False
) -> HttpResponse:
    """Complete the sign-in and go on to the ``next`` URL or the profile.

    Only a sign-in with a code counts as a re-authentication; one that a
    trusted browser let skip the code step does not.
    """
    signin.complete(request, pending, device, trusted=trusted)
    if not trusted:
        reauthentication.record(request)
    return redirect(pending.next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


def rejection_message(outcome: Outcome, device: TOTPDevice) -> str:
    """Return the message for a code that was not accepted."""
    wait = throttle_wait_seconds(device)
    if outcome is Outcome.THROTTLED:
        # The code was not checked, so it must not be called wrong.
        text = _("The code was not checked because of earlier wrong codes.")
    elif outcome is Outcome.REPLAYED:
        text = _("That code was already used. Wait for the next code in your app.")
    else:
        text = _("That code is not valid. Check the code in your authenticator app.")

    if wait > 0:
        text += " " + wait_message(wait)
    return text


def wait_message(seconds: int) -> str:
    return ngettext(
        "Wait %(seconds)d second before the next try.",
        "Wait %(seconds)d seconds before the next try.",
        seconds,
    ) % {"seconds": seconds}


def check_code(request: HttpRequest, form: CodeForm, device: TOTPDevice) -> Outcome | None:
    """Verify a submitted code, adding an error to ``form`` unless it is accepted."""
    if not form.is_valid():
        return None

    outcome = verify_code(device, form.cleaned_data["code"])
    if outcome is Outcome.ACCEPTED:
        return outcome

    audit.record(
        CODE_EVENTS[outcome],
        request,
        user=device.user,
        succeeded=False,
        detail=device.persistent_id,
    )
    form.add_error("code", rejection_message(outcome, device))
    return outcome


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def code_step(request: HttpRequest) -> HttpResponse:
    """Second step for users with a confirmed device: ask for the current code."""
    pending = load_pending(request)
    if pending is None:
        return redirect("accounts:login")
    if pending.user.must_change_password:
        return redirect("accounts:new-password")

    device = enrolment.confirmed_device(pending.user)
    if device is None:
        return redirect("accounts:enrol")

    form = CodeStepForm(request.POST if request.method == "POST" else None)
    if form.is_bound and check_code(request, form, device) is Outcome.ACCEPTED:
        response = finish(request, pending, device)
        if form.cleaned_data["trust_browser"] and trusted_browsers.may_trust(pending.user):
            trusted_browsers.remember(response, pending.user, device)
            audit.record(EventType.BROWSER_TRUSTED, request, user=pending.user)
        return response

    context = {
        "form": form,
        "wait_seconds": throttle_wait_seconds(device),
        "offer_trust": trusted_browsers.may_trust(pending.user),
    }
    return render(request, "accounts/code.html", context)


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def enrol_step(request: HttpRequest) -> HttpResponse:
    """Second step for users without a device: scan the QR code, confirm a code.

    A confirmed code signs the user in and the response shows their new
    recovery codes, once, before they continue to the ``next`` URL.
    """
    pending = load_pending(request)
    if pending is None:
        return redirect("accounts:login")
    if pending.user.must_change_password:
        return redirect("accounts:new-password")

    if enrolment.confirmed_device(pending.user) is not None:
        return redirect("accounts:code")

    device = enrolment.pending_device(pending.user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_bound and check_code(request, form, device) is Outcome.ACCEPTED:
        enrolment.confirm(device)
        audit.record(EventType.ENROLLED, request, user=pending.user, detail=device.persistent_id)
        messages.success(request, _("Your authenticator app is set up."))
        signin.complete(request, pending, device)
        reauthentication.record(request)

        codes = recovery.issue_set(pending.user)
        audit.record(EventType.RECOVERY_CODES_GENERATED, request, user=pending.user)
        return show_new_codes(request, codes, pending.next_url)

    return render(request, "accounts/enrol.html", enrolment_context(device, form))


def enrolment_context(device: TOTPDevice, form: CodeForm) -> dict:
    uri = enrolment.otpauth_uri(device)
    return {
        "form": form,
        "qr_code": enrolment.qr_svg(uri, _("QR code to scan with your authenticator app")),
        "secret": enrolment.grouped_secret(device),
        "otpauth_uri": uri,
        "issuer": enrolment.issuer_name(),
        "wait_seconds": throttle_wait_seconds(device),
    }


@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def sign_out(request: HttpRequest) -> HttpResponse:
    """Sign out on POST; on GET, show a button that does so.

    Signing out changes state, so a link or an image on another site must
    not be able to trigger it: only a POST with a CSRF token does.
    """
    if request.method == "GET":
        return render(request, "accounts/logout.html")

    user = request.user if request.user.is_authenticated else None
    logout(request)
    if user is not None:
        audit.record(EventType.SIGNED_OUT, request, user=user)
    messages.info(request, _("You have signed out."))
    return redirect("accounts:login")
