"""Admin pages: list, search, create and look up users."""

import logging
import unicodedata

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts.creation import create_user
from accounts.decorators import admin_required
from accounts.enrolment import confirmed_device
from accounts.forms import UserCreateOrInviteForm
from accounts.invitations import pending_invitation
from accounts.models import User
from accounts.pagination import lookahead_page
from accounts.views.user_admin import send_invitation

logger = logging.getLogger(__name__)

USERS_PER_PAGE = 50
MAX_QUERY_LENGTH = 150


def search_query(request: HttpRequest) -> str:
    """Return the ``q`` parameter, trimmed and without control characters."""
    raw = request.GET.get("q", "")[:MAX_QUERY_LENGTH]
    return "".join(char for char in raw if unicodedata.category(char) != "Cc").strip()


@never_cache
@admin_required
@require_http_methods(["GET"])
def user_list(request: HttpRequest) -> HttpResponse:
    query = search_query(request)
    users = User.objects.order_by("username", "pk")
    if query:
        users = users.filter(
            Q(username__icontains=query) | Q(email__icontains=query) | Q(full_name__icontains=query)
        )
        # A search is paged without a COUNT, which would read every row.
        # NOTE: a term that few users match still reads every row, because a
        # B-tree index cannot serve LIKE '%term%'. A trigram index (pg_trgm on
        # PostgreSQL, an FTS5 trigram table on SQLite) would be needed there.
        page = lookahead_page(users, request.GET.get("page"), USERS_PER_PAGE)
    else:
        page = Paginator(users, USERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "users/list.html", {"page": page, "query": query})


@sensitive_post_parameters("password1", "password2")
@never_cache
@admin_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    """Create a user with a password they must replace, or invite them to choose one."""
    form = UserCreateOrInviteForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        user = create_user(
            username=data["username"],
            email=data["email"],
            full_name=data["full_name"],
            role=data["role"],
            password=None if form.invites else data["password1"],
            must_change_password=not form.invites,
            created_by=request.user,
            request=request,
        )
        if form.invites:
            return send_invitation(request, user)

        messages.success(
            request,
            _(
                "User %(username)s is created. At first sign-in they choose a new password "
                "and set up their authenticator app."
            )
            % {"username": user.username},
        )
        return redirect("users:detail", pk=user.pk)

    return render(request, "users/create.html", {"form": form})


@never_cache
@admin_required
@require_http_methods(["GET"])
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User, pk=pk)
    context = {
        "account": account,
        "device": confirmed_device(account),
        "has_password": account.has_usable_password(),
        "invitation": pending_invitation(account),
    }
    return render(request, "users/detail.html", context)
