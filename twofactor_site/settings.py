"""Settings for twofactor_site.

Every value that differs between machines comes from the environment and is
read here, once. Without ``DJANGO_DEBUG=1`` the site runs in production mode
and refuses to start unless ``DJANGO_SECRET_KEY`` and ``DJANGO_ALLOWED_HOSTS``
are set.
"""

import base64
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no environment variable, rejecting values that are neither."""
    raw = os.environ.get(name)
    if raw is None:
        return default

    value = raw.strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0, got {raw!r}.")


def env_int(name: str, default: int) -> int:
    """Read a non-negative integer environment variable."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default

    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}.") from None
    if value < 0:
        raise ImproperlyConfigured(f"{name} must not be negative, got {value}.")
    return value


def env_list(name: str) -> list[str]:
    """Read a comma-separated environment variable into a list of items."""
    raw = os.environ.get(name, "")
    return [item.strip() for item in raw.split(",") if item.strip()]


def development_secret_key(path: Path) -> str:
    """Return a random key kept in ``path``, creating the file on first use.

    The file is listed in .gitignore, so each checkout has its own key and no
    key is ever committed.
    """
    if path.exists():
        return path.read_text().strip()

    key = secrets.token_urlsafe(50)
    path.write_text(key + "\n")
    path.chmod(0o600)
    return key


# SECURITY: production is the default. Debug mode shows tracebacks and uses a
# key stored beside the code, so it must be asked for explicitly.
DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is missing. Set it to a long random string, "
            "or set DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = development_secret_key(BASE_DIR / ".dev-secret-key")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_ALLOWED_HOSTS is missing. Set it to the site's host names, "
            "separated by commas, for example 'example.com,www.example.com'."
        )
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]


def development_totp_key(path: Path) -> str:
    """Return a Fernet key kept in ``path``, creating the file on first use."""
    if path.exists():
        return path.read_text().strip()

    key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii")
    path.write_text(key + "\n")
    path.chmod(0o600)
    return key


# Fernet keys that encrypt TOTP secrets, newest first. Kept apart from
# SECRET_KEY so that a leaked SECRET_KEY does not expose the secrets, and the
# other way round.
TOTP_ENCRYPTION_KEYS = env_list("DJANGO_TOTP_ENCRYPTION_KEYS")
if not TOTP_ENCRYPTION_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_TOTP_ENCRYPTION_KEYS is missing. Generate a key with "
            "'python manage.py generate_totp_key' and set it."
        )
    TOTP_ENCRYPTION_KEYS = [development_totp_key(BASE_DIR / ".dev-totp-key")]

# Number of reverse proxies in front of the site that append to
# X-Forwarded-For. Zero means the header is ignored.
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", default=0)

SITE_NAME = os.environ.get("DJANGO_SITE_NAME", "twofactor_site")

INSTALLED_APPS = [
    "accounts",
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before whitenoise, so that static files get these headers too.
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.RequireVerifiedSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.session_timeout.SessionTimeoutMiddleware",
    # Last, so that the lockout page it substitutes still passes through
    # every middleware above on its way out (headers, cookies, messages).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "twofactor_site.urls"
WSGI_APPLICATION = "twofactor_site.wsgi.application"
ASGI_APPLICATION = "twofactor_site.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.site",
            ],
        },
    },
]


def sqlite_options() -> dict:
    """Return SQLite options that let concurrent requests wait, not fail.

    WAL lets readers proceed while one writer works; IMMEDIATE transactions
    take the write lock at BEGIN, so two writers queue on the busy timeout
    instead of failing with "database is locked" when one upgrades its lock.
    """
    return {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
        ),
    }


DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'twofactor_app.db'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", default=0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = sqlite_options()
    DATABASES["default"].setdefault("TEST", {})
    DATABASES["default"]["TEST"]["NAME"] = str(BASE_DIR / "test_twofactor_app.db")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# The first hasher hashes new passwords; the others only verify old hashes,
# which Django then rehashes with the first at the next sign-in. Django's own
# Argon2PasswordHasher is left out because it has the same algorithm name.
PASSWORD_HASHERS = [
    "accounts.hashers.SiteArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    # Checks bcrypt hashes imported by import_fastapi_users. It comes after
    # Argon2, so a correct password is rehashed with Argon2 at first sign-in.
    "accounts.hashers.LegacyBCryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The first backend rejects every password check while a lockout is in force,
# before the password is compared; see accounts.password_guessing.
AUTHENTICATION_BACKENDS = [
    "accounts.password_guessing.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "users:me"
LOGOUT_REDIRECT_URL = "accounts:login"

# Seconds between the password step and the code step before the pending
# sign-in expires and the password must be entered again.
SIGNIN_PENDING_TIMEOUT = env_int("SIGNIN_PENDING_TIMEOUT", default=300)

# Hours a first-admin link stays valid after `make run` prints it.
FIRST_ADMIN_LINK_HOURS = env_int("FIRST_ADMIN_LINK_HOURS", default=24)

# Hours an invitation link stays valid after an admin creates it.
INVITATION_HOURS = env_int("INVITATION_HOURS", default=72)
if INVITATION_HOURS < 1:
    raise ImproperlyConfigured(f"INVITATION_HOURS must be at least 1, got {INVITATION_HOURS}.")

# Public address of the site, such as https://example.com, for links in
# emails. Empty means links use the host and scheme of the admin's request.
SITE_BASE_URL = os.environ.get("DJANGO_SITE_BASE_URL", "").strip().rstrip("/")
if SITE_BASE_URL and not SITE_BASE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(
        f"DJANGO_SITE_BASE_URL must start with https:// or http://, got {SITE_BASE_URL!r}."
    )

# Email: printed to the console unless DJANGO_EMAIL_HOST names an SMTP server.
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "").strip()
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", default=587)
    EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "webmaster@localhost")
# Seconds to wait for the SMTP server, so a dead server cannot hang a request.
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", default=10)

# django-otp: the issuer shown in authenticator apps, and the throttle base
# in seconds (1, 2, 4, 8, ... seconds after consecutive failures).
OTP_TOTP_ISSUER = SITE_NAME
OTP_TOTP_THROTTLE_FACTOR = 1
# The same back-off for recovery codes, counted on the recovery code device
# apart from the TOTP device.
OTP_RECOVERY_CODE_THROTTLE_FACTOR = 1

# Seconds after entering the password and a code (at sign-in or on the
# re-authentication page) during which the password, email, authenticator and
# recovery codes can be changed without entering them again.
REAUTHENTICATION_SECONDS = env_int("REAUTHENTICATION_SECONDS", default=300)

# Days a browser stays trusted after "Don't ask for a code on this browser".
TRUSTED_BROWSER_DAYS = env_int("TRUSTED_BROWSER_DAYS", default=30)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
CSRF_FAILURE_VIEW = "accounts.views.errors.csrf_failure"

# HTTPS. DJANGO_HTTPS=0 turns off the redirect to HTTPS, secure cookies and
# HSTS together, for a production-mode server on plain HTTP on localhost
# (benchmarks); never use it on a public address.
HTTPS = env_bool("DJANGO_HTTPS", default=not DEBUG)
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]"}
if not DEBUG and not HTTPS and not set(ALLOWED_HOSTS) <= LOOPBACK_HOSTS:
    raise ImproperlyConfigured(
        "DJANGO_HTTPS=0 is allowed only when DJANGO_ALLOWED_HOSTS lists loopback "
        "hosts alone (127.0.0.1, localhost, [::1]): on any other host, session "
        "cookies would travel over plain HTTP."
    )
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", default=31_536_000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=False)
if not SECURE_HSTS_PRELOAD:
    # Preloading is a commitment that is hard to undo, so it is opt-in, and
    # Django's warning about it being off is silenced.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

# SECURITY: only behind a proxy that sets X-Forwarded-Proto itself and
# drops the client's own; otherwise any client could claim HTTPS.
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp). No page uses inline script or style.
# The QR code is inline SVG markup drawn with presentation attributes, which
# no directive restricts. Small data: images are allowed, though no page of
# the site or of Django's admin uses one yet.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# Sessions: a signed-in session ends after this long without a request, and
# in any case this long after sign-in (accounts.session_timeout).
SESSION_IDLE_MINUTES = env_int("DJANGO_SESSION_IDLE_MINUTES", default=30)
SESSION_MAX_HOURS = env_int("DJANGO_SESSION_MAX_HOURS", default=12)
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600 or 14 * 24 * 3600

# Password guessing limits (django-axes, state in the database). Failures
# count per username and, separately, per client address, each with its own
# limit: an address is often shared by many people. Reaching a limit locks
# that username or address for PASSWORD_LOCKOUT_MINUTES; each failure after
# a lockout has lifted locks it again for twice as long as the last time, up
# to PASSWORD_LOCKOUT_MAX_MINUTES. Failures are forgotten
# PASSWORD_FAILURE_MEMORY_HOURS after they happen. See accounts.password_guessing.
PASSWORD_FAILURE_LIMIT = max(1, env_int("DJANGO_PASSWORD_FAILURE_LIMIT", default=10))
PASSWORD_ADDRESS_FAILURE_LIMIT = max(
    1, env_int("DJANGO_PASSWORD_ADDRESS_FAILURE_LIMIT", default=50)
)
PASSWORD_LOCKOUT_MINUTES = max(1, env_int("DJANGO_PASSWORD_LOCKOUT_MINUTES", default=1))
PASSWORD_LOCKOUT_MAX_MINUTES = max(
    PASSWORD_LOCKOUT_MINUTES, env_int("DJANGO_PASSWORD_LOCKOUT_MAX_MINUTES", default=60)
)
PASSWORD_FAILURE_MEMORY_HOURS = max(1, env_int("DJANGO_PASSWORD_FAILURE_MEMORY_HOURS", default=24))

AXES_HANDLER = "accounts.password_guessing.LockoutHandler"
AXES_FAILURE_LIMIT = PASSWORD_FAILURE_LIMIT
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = "accounts.password_guessing.cool_off"
AXES_CLIENT_IP_CALLABLE = "accounts.client.client_address"
AXES_USERNAME_CALLABLE = "accounts.password_guessing.lockout_username"
AXES_LOCKOUT_CALLABLE = "accounts.password_guessing.lockout_response"
# SECURITY: one user's successful sign-in must not clear failures that other
# usernames piled up from the same address, so nothing resets on success.
AXES_RESET_ON_SUCCESS = False
# Attempts during a lockout are rejected without being counted, so a lockout
# always lifts on time however hard the account is being attacked.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The audit log records sign-ins; axes' own access log would duplicate it.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False
# Axes stores the POST data of each failed attempt; these fields are masked.
# A new form that checks a password must name its secret fields here.
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "password",
    "old_password",
    "current_password",
    "new_password1",
    "new_password2",
    "password1",
    "password2",
    "code",
    "recovery_code",
    "csrfmiddlewaretoken",
]

# Days that security events stay in the audit log (prune_auth_events).
AUDIT_RETENTION_DAYS = env_int("DJANGO_AUDIT_RETENTION_DAYS", default=365)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English"))]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    # In development whitenoise serves straight from static/, so there is no
    # collected copy and no manifest to keep up to date.
    STATIC_ROOT = None
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = True
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "{asctime} {levelname} {name} {message}", "style": "{"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain",
        },
    },
    "loggers": {
        "accounts": {"handlers": ["stdout"], "level": "INFO", "propagate": True},
        "django": {"handlers": ["stdout"], "level": "WARNING"},
    },
}
