"""The page an invitation link opens, where a new user chooses a first password.

After the password is set the user is not signed in: a pending sign-in
starts, exactly as after the password step, and the user continues to set
up an authenticator app. Only a valid code from it signs them in.
"""

import logging

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts import invitations, signin
from accounts.client import client_address
from accounts.forms import NewPasswordForm
from accounts.views.signin import next_step_for

logger = logging.getLogger(__name__)

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

# An unknown token is a 404. A link that existed but can no longer be used is
# a 410 Gone, with a message that gives the reason.
STATUS_CODES = {invitations.Status.UNKNOWN: 404}


def render_unusable(request: HttpRequest, status: invitations.Status) -> HttpResponse:
    logger.warning(
        "Rejected an invitation link (%s) from %s.", status.value, client_address(request)
    )
    return render(
        request,
        "accounts/invitation_unusable.html",
        {"status": status.value},
        status=STATUS_CODES.get(status, 410),
    )


@sensitive_post_parameters("new_password1", "new_password2")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Let an invited user choose a password, then send them on to enrolment."""
    lookup = invitations.find(token)
    if lookup.status is not invitations.Status.VALID:
        return render_unusable(request, lookup.status)

    invited = lookup.invitation.user
    if request.user.is_authenticated:
        return render(request, "accounts/invitation_signed_in.html", {"account": invited})

    form = NewPasswordForm(invited, request.POST if request.method == "POST" else None)
    context = {"form": form, "account": invited}
    if not form.is_bound:
        return render(request, "accounts/invitation.html", context)
    if not form.is_valid():
        return render(request, "accounts/invitation.html", context, status=400)

    user = invitations.accept(lookup.invitation, form.cleaned_data["new_password1"], request)
    if user is None:
        return render_unusable(request, invitations.Status.USED)

    user.backend = MODEL_BACKEND
    signin.begin(request, user)
    messages.success(request, _("Your password is set. Now set up your authenticator app."))
    return redirect(next_step_for(user))
