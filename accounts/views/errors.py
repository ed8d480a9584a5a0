"""Error views that render in the site's layout, without technical detail."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Explain a rejected form submission; ``reason`` is for logs, not users."""
    return render(request, "403_csrf.html", status=403)
