"""Middleware that keeps every authenticated session two-factor verified."""

import logging

from django.contrib.auth import logout

from accounts.client import client_address

logger = logging.getLogger(__name__)


class RequireVerifiedSessionMiddleware:
    """End any authenticated session that django-otp does not call verified.

    The site's own sign-in always verifies a device before ``login()``, so
    this only fires for sessions made some other way, or whose device has
    since been deleted. Failing closed here keeps ``login_required`` pages
    and the admin safe whatever path created the session. Must come after
    ``django_otp.middleware.OTPMiddleware``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified():
            logger.warning(
                "Ended session of user %s from %s: not verified by a device.",
                user.pk,
                client_address(request),
            )
            logout(request)
        return self.get_response(request)
