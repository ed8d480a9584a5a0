"""Error views that render in the site's layout, without technical detail.

Each response is marked never to be cached: an error page can show the
signed-in user's navigation, and a shared cache must not keep it.
"""

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)


@never_cache
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Explain a rejected form submission; ``reason`` is for logs, not users."""
    return render(request, "403_csrf.html", status=403)


@never_cache
@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


@never_cache
@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


@never_cache
@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


@never_cache
@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """Render the 500 page without the request's context.

    Context processors read the user and the session, which may be what
    failed, so the page is drawn from the template alone, as Django's own
    handler does.
    """
    return HttpResponseServerError(loader.get_template("500.html").render())
