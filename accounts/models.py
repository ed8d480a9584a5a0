"""Data and invariants of the accounts app."""

import hmac
import secrets
import time

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Value
from django.db.models.functions import Lower
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP

from accounts import encryption, recovery_codes


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
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Set when an admin chose the password: the user picks a new one at sign-in."),
    )

    # Part of the session auth hash, like the password: raising it ends every
    # session of the user except the one that calls update_session_auth_hash().
    session_generation = models.PositiveIntegerField(default=0, editable=False)
    # Part of every trusted-browser cookie: raising it voids all of them.
    trusted_browser_generation = models.PositiveIntegerField(default=0, editable=False)

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

    def get_session_auth_hash(self) -> str:
        """Return an HMAC of the password hash and ``session_generation``.

        Django compares it with the copy in each session on every request, so
        a new password or a raised generation signs out all other sessions.
        """
        return self.session_auth_hash_with()

    def get_session_auth_fallback_hash(self):
        for fallback_secret in settings.SECRET_KEY_FALLBACKS:
            yield self.session_auth_hash_with(secret=fallback_secret)

    def session_auth_hash_with(self, secret: str | None = None) -> str:
        key_salt = "accounts.User.get_session_auth_hash"
        value = f"{self.password}\n{self.session_generation}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()


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


class Invitation(models.Model):
    """A single-use link that lets a new user choose their first password.

    Only the SHA-256 digest of the token is stored, so the database alone
    cannot be used to open the link. A link works while ``used_at`` and
    ``voided_at`` are empty and ``expires_at`` lies ahead.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    voided_at = models.DateTimeField(
        _("voided"), null=True, blank=True, help_text=_("Set when a newer invitation replaced it.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"invitation of user {self.user_id} from {self.created_at:%Y-%m-%d %H:%M}"


TOTP_KEY_BYTES = 20


class TOTPDevice(TimestampMixin, ThrottlingMixin, Device):
    """An authenticator app that generates TOTP codes (RFC 6238).

    It works like django-otp's own TOTP device, but the secret is stored
    encrypted (see ``accounts.encryption``), so a copy of the database alone
    cannot generate anyone's codes. ``last_t`` is the time step of the last
    accepted code; only codes of a later step are accepted, so no code works
    twice.
    """

    encrypted_key = models.TextField(editable=False)
    step = models.PositiveSmallIntegerField(default=30)
    t0 = models.BigIntegerField(default=0)
    digits = models.PositiveSmallIntegerField(default=6)
    tolerance = models.PositiveSmallIntegerField(default=1)
    drift = models.SmallIntegerField(default=0)
    last_t = models.BigIntegerField(default=-1)

    class Meta(Device.Meta):
        verbose_name = _("TOTP device")
        verbose_name_plural = _("TOTP devices")

    @property
    def bin_key(self) -> bytes:
        return encryption.decrypt(self.encrypted_key)

    def set_key(self, key: bytes | None = None) -> None:
        """Store ``key``, or a new random 160-bit key, encrypted."""
        self.encrypted_key = encryption.encrypt(key or secrets.token_bytes(TOTP_KEY_BYTES))

    def save(self, *args, **kwargs):
        if not self.encrypted_key:
            self.set_key()
        super().save(*args, **kwargs)

    def totp(self) -> TOTP:
        totp = TOTP(self.bin_key, self.step, self.t0, self.digits, self.drift)
        totp.time = time.time()
        return totp

    def verify_token(self, token) -> bool:
        """Check ``token`` and record the result, as django-otp's devices do.

        Callers go through ``django_otp.verify_token``, which loads this row
        inside a transaction first; see ``accounts.verification``.
        """
        allowed, _details = self.verify_is_allowed()
        if not allowed:
            return False

        try:
            number = int(token)
        except (TypeError, ValueError):
            number = None

        totp = self.totp()
        if number is None or not totp.verify(number, self.tolerance, self.last_t + 1):
            self.throttle_increment(commit=True)
            return False

        self.last_t = totp.t()
        self.drift = totp.drift
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True

    def get_throttle_factor(self) -> int:
        return settings.OTP_TOTP_THROTTLE_FACTOR


class RecoveryCodeDevice(TimestampMixin, ThrottlingMixin, Device):
    """A user's set of single-use recovery codes, for when the authenticator is lost.

    Each user has at most one. The codes are ``RecoveryCode`` rows holding
    only an HMAC of each code under this device's ``salt``, so the database
    never contains a code that could be typed in. A new set replaces the salt
    and all rows but keeps the device, so sessions verified by it stay valid.
    Failures are throttled on this device, apart from the TOTP device.
    """

    salt = models.CharField(max_length=64, editable=False)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)

    class Meta(Device.Meta):
        verbose_name = _("recovery code set")
        verbose_name_plural = _("recovery code sets")
        constraints = [
            models.UniqueConstraint(fields=["user"], name="accounts_recovery_device_one_per_user"),
        ]

    def verify_token(self, token) -> bool:
        """Accept ``token`` if it is one of the unused codes, and use it up.

        Callers go through ``django_otp.verify_token`` (see
        ``accounts.recovery.use_code``), which loads this row for update
        inside a transaction.
        """
        allowed, _details = self.verify_is_allowed()
        if not allowed:
            return False

        code = recovery_codes.normalize_code(token) if isinstance(token, str) else None
        if code is None or not self.consume(code):
            self.throttle_increment(commit=True)
            return False

        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True

    def consume(self, code: str) -> bool:
        """Delete the row of the compact ``code``; return True if this call deleted it.

        SECURITY: the digests are compared with ``hmac.compare_digest`` over
        every row, and the row is then removed with one DELETE whose row
        count decides. When two requests submit the same code at once, only
        the one whose DELETE removed the row succeeds.
        """
        submitted = recovery_codes.digest(self.salt, code)
        match = None
        for pk, stored in self.codes.values_list("pk", "digest"):
            if hmac.compare_digest(stored, submitted):
                match = pk

        if match is None:
            return False
        deleted, _per_model = RecoveryCode.objects.filter(pk=match, device=self).delete()
        return deleted == 1

    def get_throttle_factor(self) -> int:
        return settings.OTP_RECOVERY_CODE_THROTTLE_FACTOR


class RecoveryCode(models.Model):
    """One unused recovery code, stored as its HMAC digest only."""

    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        constraints = [
            models.UniqueConstraint(
                fields=["device", "digest"], name="accounts_recovery_code_unique_digest"
            ),
        ]

    def __str__(self) -> str:
        return f"recovery code {self.pk} of device {self.device_id}"


class EventType(models.TextChoices):
    """Kinds of security event recorded in the audit log."""

    SIGNIN_SUCCEEDED = "signin_succeeded", _("Sign-in succeeded")
    PASSWORD_FAILED = "password_failed", _("Password step failed")
    PASSWORD_PASSED = "password_passed", _("Password step passed")
    CODE_FAILED = "code_failed", _("Code rejected")
    CODE_REPLAYED = "code_replayed", _("Code replayed")
    CODE_THROTTLED = "code_throttled", _("Code throttled")
    LOCKED_OUT = "locked_out", _("Locked out after failed passwords")
    SIGNED_OUT = "signed_out", _("Signed out")
    ENROLLED = "enrolled", _("Authenticator set up")
    RECOVERY_CODE_USED = "recovery_code_used", _("Recovery code used")
    RECOVERY_CODE_FAILED = "recovery_code_failed", _("Recovery code rejected")
    RECOVERY_CODES_GENERATED = "recovery_codes_generated", _("Recovery codes generated")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    EMAIL_CHANGED = "email_changed", _("Email changed")
    PROFILE_CHANGED = "profile_changed", _("Profile changed")
    DEVICE_REPLACED = "device_replaced", _("Authenticator replaced")
    USER_CREATED = "user_created", _("User created")
    ROLE_CHANGED = "role_changed", _("Role changed")
    USER_DEACTIVATED = "user_deactivated", _("User deactivated")
    USER_REACTIVATED = "user_reactivated", _("User reactivated")
    TWO_FACTOR_RESET = "two_factor_reset", _("Two-factor reset")
    INVITATION_CREATED = "invitation_created", _("Invitation created")
    INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
    REAUTHENTICATED = "reauthenticated", _("Re-authenticated")
    ACCESS_DENIED = "access_denied", _("Access denied (403)")
    SESSIONS_ENDED = "sessions_ended", _("Other sessions signed out")
    BROWSER_TRUSTED = "browser_trusted", _("Browser trusted")
    TRUSTED_BROWSERS_FORGOTTEN = "trusted_browsers_forgotten", _("Trusted browsers forgotten")


class AuthEvent(models.Model):
    """One security event: who, what, from where, and whether it succeeded.

    ``username`` is what was typed or known at the time, kept even when no
    such user exists or the user is later deleted. Rows are never edited.
    """

    created_at = models.DateTimeField(_("time (UTC)"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="auth_events",
    )
    username = models.CharField(_("username tried"), max_length=150, blank=True)
    event_type = models.CharField(_("event"), max_length=32, choices=EventType.choices)
    succeeded = models.BooleanField(_("succeeded"))
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["event_type", "-created_at"], name="accounts_event_type_idx"),
            models.Index(fields=["user", "-created_at"], name="accounts_event_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.event_type} {self.username}"


class UserSession(models.Model):
    """A signed-in session of a user, listed on their profile.

    Written when the user signs in, refreshed at most once a minute while the
    session is used, and deleted when it ends. ``session_key`` is the key of
    the row in Django's session table.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="user_sessions",
    )
    session_key = models.CharField(_("session key"), max_length=40, unique=True)
    created_at = models.DateTimeField(_("signed in at"))
    last_seen_at = models.DateTimeField(_("last seen at"))
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("user session")
        verbose_name_plural = _("user sessions")
        ordering = ["-last_seen_at", "-pk"]

    def __str__(self) -> str:
        return f"session of user {self.user_id} since {self.created_at:%Y-%m-%d %H:%M}"
