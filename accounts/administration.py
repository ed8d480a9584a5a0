"""Account changes made by admins: role, deactivation, two-factor reset.

Each function changes the account, ends sessions where the change must take
effect at once, and records an audit event naming the acting admin. Views
and management commands both call these.
"""

import logging

from django.db import transaction
from django.http import HttpRequest
from django_otp import devices_for_user

from accounts import audit
from accounts.models import EventType, Role, User
from accounts.user_sessions import end_sessions

logger = logging.getLogger(__name__)


class LastAdminError(Exception):
    """Raised when a change would leave the site without an active admin."""


def lock_account(pk: int) -> User:
    return User.objects.select_for_update().get(pk=pk)


def lock_active_admins() -> list[User]:
    """Lock the rows of all active admins, in primary-key order.

    Every change that may remove an admin takes these locks first and in the
    same order, so two such changes queue instead of deadlocking.
    """
    admins = User.objects.select_for_update().filter(role=Role.ADMIN, is_active=True)
    return list(admins.order_by("pk"))


def check_other_admin_remains(account: User, admins: list[User]) -> None:
    """Raise ``LastAdminError`` unless ``admins`` has someone besides ``account``.

    SECURITY: ``admins`` must come from ``lock_active_admins`` in the same
    transaction that changes ``account``, so two admins who demote each other
    at the same moment cannot both succeed. On SQLite the IMMEDIATE
    transaction holds the write lock from its start, and on PostgreSQL the
    admin rows stay locked until the transaction ends.
    """
    if not any(admin.pk != account.pk for admin in admins):
        raise LastAdminError(account.get_username())


def change_role(account: User, role: str, *, actor: User, request: HttpRequest) -> bool:
    """Give ``account`` the role ``role``, or return False if it already had it."""
    with transaction.atomic():
        admins = lock_active_admins()
        account = lock_account(account.pk)
        old_role = account.role
        if old_role == role:
            return False
        if old_role == Role.ADMIN and account.is_active:
            check_other_admin_remains(account, admins)

        account.role = role
        account.save(update_fields=["role"])

    audit.record(
        EventType.ROLE_CHANGED,
        request,
        user=account,
        detail=f"{old_role} to {role} by {actor.get_username()}",
    )
    return True


def deactivate(account: User, *, actor: User, request: HttpRequest) -> bool:
    """Deactivate ``account`` and end its sessions, or return False if already inactive."""
    with transaction.atomic():
        admins = lock_active_admins()
        account = lock_account(account.pk)
        if not account.is_active:
            return False
        if account.role == Role.ADMIN:
            check_other_admin_remains(account, admins)

        account.is_active = False
        account.save(update_fields=["is_active"])
        ended = end_sessions(account)

    audit.record(
        EventType.USER_DEACTIVATED,
        request,
        user=account,
        detail=f"by {actor.get_username()}, {ended} session(s) ended",
    )
    return True


def reactivate(account: User, *, actor: User, request: HttpRequest) -> bool:
    """Let ``account`` sign in again, or return False if it was already active."""
    with transaction.atomic():
        account = lock_account(account.pk)
        if account.is_active:
            return False
        account.is_active = True
        account.save(update_fields=["is_active"])

    audit.record(
        EventType.USER_REACTIVATED, request, user=account, detail=f"by {actor.get_username()}"
    )
    return True


def reset_two_factor(account: User, *, actor: User, request: HttpRequest) -> int:
    """Delete every django-otp device of ``account`` and end its sessions.

    ``devices_for_user`` with ``confirmed=None`` covers confirmed and
    unconfirmed devices of every installed device model, so a model added
    later is removed too. The user sets up an authenticator app again at
    their next sign-in. Returns the number of devices deleted.
    """
    with transaction.atomic():
        account = lock_account(account.pk)
        devices = list(devices_for_user(account, confirmed=None))
        for device in devices:
            device.delete()
        ended = end_sessions(account)

    audit.record(
        EventType.TWO_FACTOR_RESET,
        request,
        user=account,
        detail=f"by {actor.get_username()}, {len(devices)} device(s) deleted, "
        f"{ended} session(s) ended",
    )
    return len(devices)
