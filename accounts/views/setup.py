"""The first-admin page, opened from the link `make run` prints."""

import logging

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts import first_admin, signin
from accounts.client import client_address
from accounts.creation import create_first_admin
from accounts.forms import FirstAdminForm
from accounts.models import FirstAdminToken

logger = logging.getLogger(__name__)

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@sensitive_post_parameters("password1", "password2")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def first_admin_setup(request: HttpRequest, token: str) -> HttpResponse:
    """Create the first admin, then continue to enrolment as that admin.

    The page is a 404 unless the token is valid and no user exists yet.
    """
    if not first_admin.token_is_valid(token):
        raise Http404(_("This setup link is not valid: it was used, replaced or has expired."))

    form = FirstAdminForm(request.POST if request.method == "POST" else None)
    if not (form.is_bound and form.is_valid()):
        return render(request, "accounts/first_admin.html", {"form": form})

    user = create_admin_once(request, token, form.cleaned_data)
    if user is None:
        raise Http404(_("This setup link is not valid: it was used, replaced or has expired."))

    logger.info("First admin %s created from %s.", user.pk, client_address(request))
    user.backend = MODEL_BACKEND
    signin.begin(request, user)
    messages.success(
        request, _("Your admin account is created. Now set up your authenticator app.")
    )
    return redirect("accounts:enrol")


def create_admin_once(request: HttpRequest, token: str, data: dict):
    """Create the first admin unless another request did so first.

    The check and the insert share one transaction. On SQLite it holds the
    write lock from its start; on PostgreSQL the token rows are locked. Either
    way two submissions cannot both succeed.
    """
    with transaction.atomic():
        list(FirstAdminToken.objects.select_for_update())
        if not first_admin.token_is_valid(token):
            return None
        user = create_first_admin(
            username=data["username"],
            email=data["email"],
            full_name=data["full_name"],
            password=data["password1"],
            request=request,
        )
        first_admin.consume_tokens()
    return user
