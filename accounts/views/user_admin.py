"""Admin pages that change another account: role, active state, two-factor, invitation.

Every URL here shows a confirmation page on GET and acts only on a POST with
a CSRF token, so a link or an image on another site cannot change an account.
The changes themselves live in ``accounts.administration`` and
``accounts.invitations``.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from accounts import administration, invitations
from accounts.administration import LastAdminError
from accounts.decorators import admin_required
from accounts.forms import RoleForm
from accounts.models import Role, User

logger = logging.getLogger(__name__)


def last_admin_message(account: User, actor: User) -> str:
    if account.pk == actor.pk:
        return _(
            "You are the only active admin, so you cannot give up that role or deactivate "
            "yourself. Make another user an admin first."
        )
    return _("%(username)s is the only active admin. Make another user an admin first.") % {
        "username": account.get_username()
    }


def render_confirm(request: HttpRequest, account: User, action: str, status: int = 200, **extra):
    context = {"account": account, "action": action, **extra}
    return render(request, "users/confirm.html", context, status=status)


def sign_out_self(request: HttpRequest, message: str) -> HttpResponse:
    """End the acting admin's own session after a change that ended it."""
    logout(request)
    messages.info(request, message)
    return redirect("accounts:login")


@csrf_protect
@never_cache
@admin_required
@require_http_methods(["GET", "POST"])
def change_role(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the role choice on GET. On POST, give the account the chosen role."""
    account = get_object_or_404(User, pk=pk)
    form = RoleForm(
        request.POST if request.method == "POST" else None, initial={"role": account.role}
    )
    if not form.is_bound:
        return render_confirm(request, account, "role", form=form)
    if not form.is_valid():
        return render_confirm(request, account, "role", status=400, form=form)

    role = form.cleaned_data["role"]
    try:
        changed = administration.change_role(account, role, actor=request.user, request=request)
    except LastAdminError:
        form.add_error(None, last_admin_message(account, request.user))
        return render_confirm(request, account, "role", status=409, form=form)

    if not changed:
        messages.info(request, _("%(username)s already has that role.") % {"username": account})
        return redirect("users:detail", pk=account.pk)

    messages.success(
        request,
        _("%(username)s now has the role %(role)s.")
        % {"username": account, "role": Role(role).label},
    )
    if account.pk == request.user.pk and role != Role.ADMIN:
        return redirect("users:me")
    return redirect("users:detail", pk=account.pk)


@csrf_protect
@never_cache
@admin_required
@require_http_methods(["GET", "POST"])
def deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm on GET. On POST, stop the account from signing in and end its sessions."""
    account = get_object_or_404(User, pk=pk)
    if request.method == "GET":
        return render_confirm(request, account, "deactivate")

    try:
        changed = administration.deactivate(account, actor=request.user, request=request)
    except LastAdminError:
        error = last_admin_message(account, request.user)
        return render_confirm(request, account, "deactivate", status=409, error=error)

    if account.pk == request.user.pk:
        return sign_out_self(request, _("Your account is deactivated and you are signed out."))
    if changed:
        messages.success(request, _("%(username)s is deactivated.") % {"username": account})
    else:
        messages.info(request, _("%(username)s was already deactivated.") % {"username": account})
    return redirect("users:detail", pk=account.pk)


@csrf_protect
@never_cache
@admin_required
@require_http_methods(["GET", "POST"])
def reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm on GET. On POST, let the account sign in again."""
    account = get_object_or_404(User, pk=pk)
    if request.method == "GET":
        return render_confirm(request, account, "reactivate")

    if administration.reactivate(account, actor=request.user, request=request):
        messages.success(request, _("%(username)s can sign in again.") % {"username": account})
    else:
        messages.info(request, _("%(username)s was already active.") % {"username": account})
    return redirect("users:detail", pk=account.pk)


@csrf_protect
@never_cache
@admin_required
@require_http_methods(["GET", "POST"])
def reset_two_factor(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm on GET. On POST, delete the account's devices and end its sessions."""
    account = get_object_or_404(User, pk=pk)
    if request.method == "GET":
        return render_confirm(request, account, "reset-two-factor")

    administration.reset_two_factor(account, actor=request.user, request=request)
    if account.pk == request.user.pk:
        return sign_out_self(
            request, _("Your two-factor set-up is reset. Sign in to set up your app again.")
        )

    messages.success(
        request,
        _(
            "Two-factor sign-in of %(username)s is reset. They set up an authenticator app "
            "again at their next sign-in."
        )
        % {"username": account},
    )
    return redirect("users:detail", pk=account.pk)


@csrf_protect
@never_cache
@admin_required
@require_http_methods(["GET", "POST"])
def resend_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm on GET. On POST, issue a new invitation, void older ones, and email it."""
    account = get_object_or_404(User, pk=pk)
    error = invitation_refusal(account)
    if error:
        return render_confirm(request, account, "invite", status=409, error=error)
    if request.method == "GET":
        return render_confirm(request, account, "invite")

    return send_invitation(request, account)


def invitation_refusal(account: User) -> str:
    """Return why ``account`` cannot be invited, or an empty string."""
    if not account.is_active:
        return _("%(username)s is deactivated. Reactivate the account first.") % {
            "username": account
        }
    if account.has_usable_password():
        return _("%(username)s already has a password, so an invitation is not needed.") % {
            "username": account
        }
    return ""


def send_invitation(request: HttpRequest, account: User) -> HttpResponse:
    """Issue an invitation, email it, and show the link to the admin once.

    The page is the response to the POST itself, not a redirect, so the
    token is never stored anywhere on the server in a form that opens the link.
    """
    token = invitations.issue(account, created_by=request.user, request=request)
    url = invitations.invitation_url(request, token)
    emailed = invitations.send_invitation_email(account, url, invited_by=request.user)

    context = {
        "account": account,
        "url": url,
        "emailed": emailed,
        "invitation_hours": settings.INVITATION_HOURS,
    }
    return render(request, "users/invitation_sent.html", context)
