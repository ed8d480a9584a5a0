"""Access rules for views."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from accounts import audit
from accounts.models import EventType


def admin_required(view: Callable) -> Callable:
    """Allow signed-in users with role admin; send others to sign in or a 403.

    Anonymous visitors get the sign-in page; a signed-in user with another
    role gets the 403 page.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_admin:
            audit.record(
                EventType.ACCESS_DENIED,
                request,
                user=request.user,
                succeeded=False,
                detail=request.path,
            )
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapped)
