"""Data and invariants of the accounts app."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Value
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    USER = "user", _("User")


class AccountManager(UserManager):
    """User manager that finds usernames and emails regardless of case.

    Lookups compare ``LOWER(column)`` with ``LOWER(value)`` in the database,
    the same expression as the unique constraints, so the database decides
    what "the same in another case" means and its expression indexes apply.
    """

    def with_username(self, username: str) -> models.QuerySet:
        return self.alias(username_lower=Lower("username")).filter(
            username_lower=Lower(Value(username))
        )

    def with_email(self, email: str) -> models.QuerySet:
        return self.alias(email_lower=Lower("email")).filter(email_lower=Lower(Value(email)))

    def get_by_natural_key(self, username):
        return self.with_username(username).get()

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in with a password and a TOTP code.

    ``full_name`` replaces Django's first and last name because names do not
    split into two parts. Usernames and emails are unique regardless of case,
    enforced by the database so that concurrent sign-ups cannot slip past a
    form check.
    """

    first_name = None
    last_name = None

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    email = models.EmailField(_("email address"), max_length=254)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.USER)

    objects = AccountManager()

    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique"),
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]
        indexes = [
            models.Index(fields=["full_name"], name="accounts_user_full_name_idx"),
        ]

    def __str__(self) -> str:
        return self.username

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email)


class FirstAdminToken(models.Model):
    """A single-use token for the link that creates the first admin.

    Only the SHA-256 digest of the token is stored, so the database alone
    cannot be used to open the link.
    """

    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("first-admin token")
        verbose_name_plural = _("first-admin tokens")

    def __str__(self) -> str:
        return f"first-admin token of {self.created_at:%Y-%m-%d %H:%M}"
