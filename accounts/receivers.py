"""Signal receivers: audit lockouts, and track the sessions of signed-in users."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from accounts import audit, user_sessions
from accounts.models import EventType, User


@receiver(user_locked_out)
def record_lockout(sender, request, username, ip_address, **kwargs) -> None:
    """Record a lockout, both when it begins and for each attempt it rejects."""
    failures = getattr(request, "axes_failures_since_start", None)
    detail = "limit reached" if failures is not None else "attempt during lockout"
    user = User.objects.with_username(username or "").first()
    audit.record(
        EventType.LOCKED_OUT,
        request,
        user=user,
        username=username or "",
        succeeded=False,
        detail=f"{detail} at {request.path}",
    )


@receiver(user_logged_in)
def start_user_session(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        user_sessions.start(request, user)


@receiver(user_logged_out)
def end_user_session(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        user_sessions.forget(request)
