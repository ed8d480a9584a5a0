"""The user's signed-in sessions: sign out all the others."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from accounts import user_sessions


@csrf_protect
@never_cache
@login_required
@require_POST
def end_others(request: HttpRequest) -> HttpResponse:
    """Sign out every other session of the user; this one stays signed in."""
    count = user_sessions.end_other_sessions(request)
    messages.success(
        request,
        ngettext(
            "%(count)d other session is signed out.",
            "%(count)d other sessions are signed out.",
            count,
        )
        % {"count": count},
    )
    return redirect("users:me")
