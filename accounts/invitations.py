"""Invitations: single-use links by which a new user chooses a first password.

An admin who creates a user without a password gets a link to pass on, and
the same link goes to the user by email. The token in the link is random and
only its SHA-256 digest is stored, so neither the database nor the log can
open the link. Issuing a new invitation voids the user's older ones.
"""

import enum
import hashlib
import hmac
import logging
import secrets
import smtplib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts import audit
from accounts.models import EventType, Invitation, User

logger = logging.getLogger(__name__)

TOKEN_BYTES = 32
# token_urlsafe(32) gives 43 characters; anything far longer is not a token.
MAX_TOKEN_LENGTH = 64


class Status(enum.Enum):
    """Whether an invitation link can be used, and if not, why."""

    VALID = "valid"
    UNKNOWN = "unknown"
    USED = "used"
    VOIDED = "voided"
    EXPIRED = "expired"
    NOT_NEEDED = "not_needed"


@dataclass(frozen=True)
class Lookup:
    status: Status
    invitation: Invitation | None = None


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def issue(user: User, *, created_by: User | None, request: HttpRequest | None) -> str:
    """Create an invitation for ``user``, void their older ones, return the token.

    The token is returned once and never stored, so show it or send it now.
    """
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = timezone.now()
    with transaction.atomic():
        pending = Invitation.objects.filter(user=user, used_at=None, voided_at=None)
        voided = pending.update(voided_at=now)
        invitation = Invitation.objects.create(
            user=user,
            digest=digest(token),
            expires_at=now + timedelta(hours=settings.INVITATION_HOURS),
            created_by=created_by,
        )

    actor = created_by.get_username() if created_by else "-"
    audit.record(
        EventType.INVITATION_CREATED,
        request,
        user=user,
        detail=f"invitation {invitation.pk} by {actor}, {voided} older voided",
    )
    return token


def find(token: str) -> Lookup:
    """Look up the invitation behind ``token`` and return it with its status.

    SECURITY: the database is searched by the token's digest, so the time the
    index lookup takes reveals nothing about the token itself. The digest is
    compared once more in constant time all the same.
    """
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return Lookup(Status.UNKNOWN)

    expected = digest(token)
    invitation = Invitation.objects.select_related("user").filter(digest=expected).first()
    if invitation is None or not hmac.compare_digest(invitation.digest, expected):
        return Lookup(Status.UNKNOWN)

    return Lookup(status_of(invitation), invitation)


def status_of(invitation: Invitation) -> Status:
    """Return whether ``invitation`` can be used now.

    An invitation is also spent once its user has a usable password by any
    route, such as the Django admin, or is deactivated.
    """
    if invitation.used_at is not None:
        return Status.USED
    if invitation.voided_at is not None:
        return Status.VOIDED
    if invitation.expires_at <= timezone.now():
        return Status.EXPIRED

    user = invitation.user
    if not user.is_active or user.has_usable_password():
        return Status.NOT_NEEDED
    return Status.VALID


def accept(invitation: Invitation, password: str, request: HttpRequest) -> User | None:
    """Set the user's first password and mark the invitation used.

    Returns None if another request used the invitation first: the row is
    locked and checked again inside the transaction, so two submissions of
    the same link cannot both set a password.
    """
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().select_related("user").get(pk=invitation.pk)
        )
        if status_of(invitation) is not Status.VALID:
            return None

        user = invitation.user
        user.set_password(password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        invitation.used_at = timezone.now()
        invitation.save(update_fields=["used_at"])

    audit.record(
        EventType.INVITATION_ACCEPTED, request, user=user, detail=f"invitation {invitation.pk}"
    )
    return user


def pending_invitation(user: User) -> Invitation | None:
    """Return the user's newest invitation if it can still be used."""
    invitation = Invitation.objects.filter(user=user).first()
    if invitation is None or status_of(invitation) is not Status.VALID:
        return None
    return invitation


def invitation_url(request: HttpRequest, token: str) -> str:
    """Return the absolute link for ``token``.

    ``SITE_BASE_URL`` is used when set, because behind a reverse proxy the
    request may carry an internal host or scheme. Otherwise the host comes
    from the request, which ``ALLOWED_HOSTS`` has already checked.
    """
    path = reverse("accounts:invitation", kwargs={"token": token})
    if settings.SITE_BASE_URL:
        return settings.SITE_BASE_URL + path
    return request.build_absolute_uri(path)


def send_invitation_email(user: User, url: str, *, invited_by: User | None) -> bool:
    """Email the invitation link to ``user`` and return whether it was sent.

    The message carries the link and nothing else secret. A failure is
    logged and reported to the caller, because the admin can still pass the
    link on by hand.
    """
    context = {
        "user": user,
        "url": url,
        "invited_by": invited_by,
        "site_name": settings.SITE_NAME,
        "hours": settings.INVITATION_HOURS,
    }
    subject = " ".join(render_to_string("emails/invitation_subject.txt", context).split())
    body = render_to_string("emails/invitation_body.txt", context)

    try:
        send_mail(subject, body, None, [user.email])
    except (smtplib.SMTPException, OSError) as error:
        logger.error("Sending the invitation email to user %s failed: %s", user.pk, error)
        return False

    logger.info("Emailed an invitation to user %s.", user.pk)
    return True
