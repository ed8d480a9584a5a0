"""Showing, downloading and renewing a user's set of recovery codes.

A new set is shown once, in the response to the request that generated it:
after enrolment (``show_new_codes`` from ``enrol_step``) or from the profile
(``regenerate_codes``). Only digests are stored, so the page carries the codes
in hidden fields, and ``codes_shown`` serves them back as a text file or takes
the user's confirmation that they are saved. It accepts them only while this
session is showing a set, and only codes that match the stored digests.
"""

import logging
import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from accounts import audit, notices, reauthentication, recovery, signin
from accounts.models import EventType
from accounts.recovery_codes import CODES_PER_SET
from accounts.security_forms import RecoveryCodesSavedForm

logger = logging.getLogger(__name__)

SHOWING = "recovery_codes_showing"


def show_new_codes(request: HttpRequest, codes: list[str], next_url: str = "") -> HttpResponse:
    """Render the page that shows a newly generated set, the only time it is shown."""
    request.session[SHOWING] = request.user.pk
    return render_codes(request, codes, RecoveryCodesSavedForm(), next_url)


def render_codes(
    request: HttpRequest, codes: list[str], form: RecoveryCodesSavedForm, next_url: str
) -> HttpResponse:
    context = {"codes": codes, "form": form, "next_url": next_url}
    return render(request, "users/recovery_codes_new.html", context)


def download_name() -> str:
    """Return a file name made of the site name, safe in a Content-Disposition header."""
    site = re.sub(r"[^A-Za-z0-9_-]+", "-", settings.SITE_NAME).strip("-") or "site"
    return f"{site}-recovery-codes.txt"


def codes_file(request: HttpRequest, codes: list[str]) -> HttpResponse:
    """Return ``codes`` as a plain-text attachment."""
    header = _("Recovery codes for %(username)s at %(site)s, saved %(date)s UTC.") % {
        "username": request.user.get_username(),
        "site": settings.SITE_NAME,
        "date": timezone.now().strftime("%Y-%m-%d %H:%M"),
    }
    advice = _("Each code works once, in place of a code from your authenticator app.")
    body = "\n".join([header, advice, "", *codes, ""])

    response = HttpResponse(body, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{download_name()}"'
    return response


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@login_required
@require_POST
def codes_shown(request: HttpRequest) -> HttpResponse:
    """Download the set on show, or confirm it is saved and continue.

    Works only while this session shows a set, and serves only codes that
    match the user's stored digests, never text it did not generate.
    """
    if request.session.get(SHOWING) != request.user.pk:
        return render(request, "users/recovery_codes_gone.html", status=404)

    codes = recovery.valid_codes(request.user, request.POST.getlist("code")[:CODES_PER_SET])
    if not codes:
        return render(request, "users/recovery_codes_gone.html", status=400)

    next_url = signin.safe_next_url(request, request.POST.get("next"))
    if request.POST.get("action") == "download":
        return codes_file(request, codes)

    form = RecoveryCodesSavedForm(request.POST)
    if not form.is_valid():
        return render_codes(request, codes, form, next_url)

    del request.session[SHOWING]
    messages.success(request, _("Your recovery codes are set up."))
    return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


@csrf_protect
@never_cache
@reauthentication.reauthentication_required
@require_http_methods(["GET", "POST"])
def regenerate_codes(request: HttpRequest) -> HttpResponse:
    """Replace the user's recovery codes with a new set, after a confirmation page."""
    if request.method == "GET":
        context = {"remaining": recovery.remaining_count(request.user)}
        return render(request, "users/recovery_codes_regenerate.html", context)

    codes = recovery.issue_set(request.user)
    audit.record(EventType.RECOVERY_CODES_GENERATED, request, user=request.user)
    notices.recovery_codes_regenerated(request.user, request)
    return show_new_codes(request, codes, resolve_url("users:me"))
