"""Access rules for views."""

import logging
from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from accounts.client import client_address

logger = logging.getLogger(__name__)


def admin_required(view: Callable) -> Callable:
    """Allow signed-in users with role admin; send others to sign in or a 403.

    Anonymous visitors get the sign-in page; a signed-in user with another
    role gets the 403 page.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_admin:
            logger.warning(
                "Denied %s to user %s from %s: role %s is not admin.",
                request.path,
                request.user.pk,
                client_address(request),
                request.user.role,
            )
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapped)
