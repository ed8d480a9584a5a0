"""The audit log page: security events, newest first, for admins."""

from datetime import UTC, datetime, time, timedelta

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.decorators import admin_required
from accounts.forms import AuditFilterForm
from accounts.models import AuthEvent

EVENTS_PER_PAGE = 50


def start_of_day(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def filtered_events(filters: dict) -> QuerySet:
    """Return the events that match the cleaned filters, newest first."""
    events = AuthEvent.objects.select_related("user").order_by("-created_at", "-pk")
    if filters.get("username"):
        events = events.filter(username__icontains=filters["username"])
    if filters.get("event_type"):
        events = events.filter(event_type=filters["event_type"])
    if filters.get("date_from"):
        events = events.filter(created_at__gte=start_of_day(filters["date_from"]))
    if filters.get("date_to"):
        events = events.filter(created_at__lt=start_of_day(filters["date_to"]) + timedelta(days=1))
    return events


@never_cache
@admin_required
@require_http_methods(["GET"])
def audit_log(request: HttpRequest) -> HttpResponse:
    """List security events, filtered by username, event type and UTC dates.

    Invalid filters are shown with their errors and the list is left empty,
    rather than silently ignoring them.
    """
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        events = AuthEvent.objects.none()
    else:
        events = filtered_events(form.cleaned_data if form.is_bound else {})

    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "audit/list.html", context)
