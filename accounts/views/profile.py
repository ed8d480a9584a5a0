"""A user's own profile: view it and edit full name and email."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts import audit, reauthentication, recovery
from accounts.enrolment import confirmed_device
from accounts.forms import ProfileForm
from accounts.models import EventType
from accounts.user_sessions import active_sessions
from accounts.views.recovery_codes import SHOWING


@never_cache
@login_required
@require_http_methods(["GET"])
def profile(request: HttpRequest) -> HttpResponse:
    context = {
        "account": request.user,
        "device": confirmed_device(request.user),
        "recovery_codes_left": recovery.remaining_count(request.user),
        "recovery_codes_unconfirmed": SHOWING in request.session,
        "sessions": active_sessions(request.user),
    }
    return render(request, "users/profile.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def edit_profile(request: HttpRequest) -> HttpResponse:
    """Edit the signed-in user's full name and email.

    The form lists only those two fields, so a posted ``role``, ``username``
    or ``is_staff`` is ignored. A new email address needs a recent
    re-authentication, because it is where security notices go; the form
    comes back filled in after it.
    """
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=user)
    else:
        form = ProfileForm(instance=user, initial=reauthentication.restored_form_data(request))

    if form.is_bound and form.is_valid():
        if "email" in form.changed_data and not reauthentication.is_recent(request):
            return reauthentication.redirect_to_reauthenticate(request)
        form.save()
        record_profile_change(request, user, form.changed_data)
        messages.success(request, _("Your profile is saved."))
        return redirect("users:me")

    return render(request, "users/profile_edit.html", {"form": form})


def record_profile_change(request: HttpRequest, user, changed: list[str]) -> None:
    if "email" in changed:
        audit.record(EventType.EMAIL_CHANGED, request, user=user)
    if "full_name" in changed:
        audit.record(EventType.PROFILE_CHANGED, request, user=user, detail="full_name")
