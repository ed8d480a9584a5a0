"""The step of the sign-in flow where a user replaces a password an admin chose.

It comes after the password step and before the code or enrolment step, so
the user is still not signed in: the session holds only the pending sign-in.
The code and enrolment steps send the user back here while
``must_change_password`` is set.
"""

import logging

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts import audit, signin
from accounts.forms import NewPasswordForm
from accounts.models import EventType, User
from accounts.views.signin import load_pending, next_step_for

logger = logging.getLogger(__name__)


@sensitive_post_parameters("new_password1", "new_password2")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def new_password_step(request: HttpRequest) -> HttpResponse:
    """Ask a user whose password an admin set for a password of their own."""
    pending = load_pending(request)
    if pending is None:
        return redirect("accounts:login")

    user = pending.user
    if not user.must_change_password:
        return redirect(next_step_for(user))

    form = NewPasswordForm(
        user, request.POST if request.method == "POST" else None, reject_current=True
    )
    if not form.is_bound:
        return render(request, "accounts/new_password.html", {"form": form, "account": user})
    if not form.is_valid():
        context = {"form": form, "account": user}
        return render(request, "accounts/new_password.html", context, status=400)

    replace_password(request, user, form.cleaned_data["new_password1"])

    # The password hash changed, so the pending sign-in starts again with the
    # new hash. That also rotates the session key.
    user.backend = pending.backend
    signin.begin(request, user, pending.next_url)
    messages.success(request, _("Your new password is saved."))
    return redirect(next_step_for(user))


def replace_password(request: HttpRequest, user: User, password: str) -> None:
    with transaction.atomic():
        user.set_password(password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])

    audit.record(EventType.PASSWORD_CHANGED, request, user=user, detail="replaced admin-set")
