"""Creating user accounts, shared by the web form, first-admin setup and commands."""

import logging

from django.db import transaction
from django.http import HttpRequest

from accounts import audit
from accounts.models import EventType, Role, User

logger = logging.getLogger(__name__)


@transaction.atomic
def create_user(
    *,
    username: str,
    email: str,
    password: str | None,
    full_name: str = "",
    role: str = Role.USER,
    created_by: User | None = None,
    request: HttpRequest | None = None,
    must_change_password: bool = False,
) -> User:
    """Create and return an active user with the given password.

    A ``password`` of None leaves the account without a usable password.
    With ``must_change_password`` the user replaces the password at sign-in.
    Uniqueness of username and email regardless of case is enforced by the
    database constraints, which raise ``IntegrityError`` on a duplicate.
    """
    user = User(
        username=username,
        email=email,
        full_name=full_name,
        role=role,
        must_change_password=must_change_password,
    )
    user.email = User.objects.normalize_email(email)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save()

    actor = f"by {created_by.get_username()}" if created_by else "by setup"
    audit.record(EventType.USER_CREATED, request, user=user, detail=f"role {user.role}, {actor}")
    return user


@transaction.atomic
def create_first_admin(
    *,
    username: str,
    email: str,
    password: str,
    full_name: str = "",
    request: HttpRequest | None = None,
) -> User:
    """Create the first admin: role admin, staff and superuser."""
    user = create_user(
        username=username,
        email=email,
        password=password,
        full_name=full_name,
        role=Role.ADMIN,
        request=request,
    )
    user.is_staff = True
    user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user
