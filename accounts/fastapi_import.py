"""Importing users from the FastAPI tutorial app's SQLite file.

The file has one table, ``users``. Each valid row becomes an account that
signs in with the same password and the same authenticator entry. The bcrypt
hash is stored in Django's ``bcrypt$`` form until the first sign-in replaces
it with Argon2. The base32 ``otp_secret`` becomes a confirmed TOTP device.

``read_rows`` reads the file, ``plan_import`` decides about every row without
writing, and ``import_users`` runs both and then creates the accounts in one
transaction. A row with an invalid field is skipped with its ``SkipReason``.
A row whose username or email is taken in the site, or appears twice in the
file, is a conflict with its ``ConflictReason``, and no account is touched.
"""

import base64
import binascii
import enum
import logging
import re
import sqlite3
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts import audit
from accounts.enrolment import DEVICE_NAME
from accounts.models import EventType, Role, TOTPDevice, User
from accounts.validators import reject_control_characters

logger = logging.getLogger(__name__)

TABLE = "users"
COLUMNS = (
    "id",
    "email",
    "username",
    "full_name",
    "hashed_password",
    "otp_secret",
    "disabled",
    "role",
)

# A bcrypt hash: version, two-digit cost, then 22 characters of salt and 31 of
# checksum in bcrypt's base64 alphabet. The last salt character encodes only 2
# bits and the last checksum character 4, with the remaining bits zero, so only
# the listed characters are valid there. The bcrypt package raises ValueError
# for any other salt, which would turn the user's sign-in into a server error.
BCRYPT_HASH = re.compile(
    r"\$2[aby]\$(?P<cost>[0-9]{2})\$"
    r"[./A-Za-z0-9]{21}[.Oeu]"
    r"[./A-Za-z0-9]{30}[.CGKOSWaeimquy26]",
    re.ASCII,
)
BCRYPT_MIN_COST = 4
BCRYPT_MAX_COST = 31

BASE32_TEXT = re.compile(r"[A-Za-z2-7]+", re.ASCII)

# 80 bits: pyotp before 2.6.0 made 16-character base32 secrets by default.
MIN_SECRET_BYTES = 10
# HMAC-SHA1 hashes a key longer than its 64-byte block down to 20 bytes
# (RFC 2104), so a longer secret adds no strength.
MAX_SECRET_BYTES = 64


class ImportFileError(Exception):
    """The file is missing, unreadable, or not the FastAPI app's database."""


class SkipReason(enum.Enum):
    """Why a row is not imported: one of its fields is invalid.

    The values are messages, not passwords, although ruff's S105 takes the
    word "secret" in their names for one.
    """

    MISSING_USERNAME = "missing username"
    INVALID_USERNAME = "invalid username (at most 150 letters, digits and the characters @ . + - _)"
    MISSING_EMAIL = "missing email"
    INVALID_EMAIL = "invalid email address"
    INVALID_FULL_NAME = "invalid full name (over 150 characters or control characters)"
    NOT_BCRYPT = "hashed_password is not a bcrypt hash"
    MISSING_SECRET = "missing otp_secret"  # noqa: S105
    SECRET_NOT_BASE32 = "otp_secret is not base32"  # noqa: S105
    SECRET_TOO_SHORT = "otp_secret is shorter than 80 bits"  # noqa: S105
    SECRET_TOO_LONG = "otp_secret is longer than 512 bits"  # noqa: S105
    UNKNOWN_ROLE = "unknown role (expected admin, user or empty)"
    INVALID_DISABLED = "invalid disabled flag (expected 0, 1 or empty)"


class ConflictReason(enum.Enum):
    """Why a valid row is left alone: it would clash with another account."""

    ALREADY_EXISTS = "a user with this username and email already exists"
    USERNAME_TAKEN = "username belongs to another user of the site"
    EMAIL_TAKEN = "email belongs to another user of the site"
    USERNAME_REPEATED = "username appears in more than one row of the file"
    EMAIL_REPEATED = "email appears in more than one row of the file"


@dataclass(frozen=True)
class SourceRow:
    """One row of the ``users`` table with its values as stored.

    Text values are decoded from UTF-8. A value that does not decode stays
    ``bytes`` and fails the check of its field.
    """

    row_id: int | str
    email: object
    username: object
    full_name: object
    hashed_password: object = field(repr=False)
    otp_secret: object = field(repr=False)
    disabled: object
    role: object


@dataclass(frozen=True)
class NewUser:
    """A valid row, ready to become an account with a confirmed TOTP device."""

    row_id: int | str
    username: str
    email: str
    full_name: str
    password: str = field(repr=False)
    totp_key: bytes = field(repr=False)
    is_active: bool
    role: Role


@dataclass(frozen=True)
class SkippedRow:
    row_id: int | str
    username: object
    reasons: tuple[SkipReason, ...]


@dataclass(frozen=True)
class Conflict:
    row_id: int | str
    username: str
    reasons: tuple[ConflictReason, ...]


@dataclass(frozen=True)
class ImportPlan:
    """The outcome for each row of the file: imported, skipped or conflict."""

    new_users: list[NewUser]
    skipped: list[SkippedRow]
    conflicts: list[Conflict]


# Reading the file


def read_rows(path: Path) -> list[SourceRow]:
    """Read every row of the ``users`` table in ``path``, ordered by id.

    The file is opened read-only. Raises ImportFileError when it does not
    exist, is not an SQLite database, or lacks the table or its columns.
    """
    check_file(path)
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise ImportFileError(f"Cannot open {path}: {error}.") from error

    # Text comes back as bytes, so a value that is not UTF-8 fails only its
    # own row instead of the whole read.
    connection.text_factory = bytes
    try:
        check_table(connection, path)
        columns = ", ".join(f'"{name}"' for name in COLUMNS)
        query = f'SELECT {columns} FROM "{TABLE}" ORDER BY "id"'  # noqa: S608 (constants only)
        values = connection.execute(query).fetchall()
    except sqlite3.DatabaseError as error:
        raise file_error(path, error) from error
    finally:
        connection.close()

    return [SourceRow(*(decode_text(value) for value in row)) for row in values]


def check_file(path: Path) -> None:
    try:
        exists = path.exists()
        is_file = path.is_file()
    except OSError as error:
        raise ImportFileError(f"Cannot read {path}: {error}.") from error

    if not exists:
        raise ImportFileError(f"File not found: {path}. Pass the path of twofactor_app.db.")
    if not is_file:
        raise ImportFileError(f"{path} is not a file. Pass the path of twofactor_app.db.")


def check_table(connection: sqlite3.Connection, path: Path) -> None:
    """Raise ImportFileError unless the ``users`` table has every needed column."""
    found = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE",
        (TABLE,),
    ).fetchone()
    if found is None:
        raise ImportFileError(
            f"{path} has no '{TABLE}' table, so it is not the FastAPI app's database."
        )

    present = {
        decode_text(row[1]).lower() for row in connection.execute(f'PRAGMA table_info("{TABLE}")')
    }
    missing = [name for name in COLUMNS if name not in present]
    if missing:
        raise ImportFileError(
            f"The '{TABLE}' table in {path} lacks the columns {', '.join(missing)}."
        )


def file_error(path: Path, error: sqlite3.DatabaseError) -> ImportFileError:
    if getattr(error, "sqlite_errorname", "") == "SQLITE_NOTADB":
        return ImportFileError(f"{path} is not an SQLite database.")
    return ImportFileError(f"Cannot read {path}: {error}.")


def decode_text(value: object) -> object:
    if not isinstance(value, bytes):
        return value
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value


# Checking each field. Each function returns the value to store or the reason
# to skip the row.


def parse_username(value: object) -> str | SkipReason:
    if value is None or value == "":
        return SkipReason.MISSING_USERNAME
    if not isinstance(value, str):
        return SkipReason.INVALID_USERNAME

    username = User.normalize_username(value)
    try:
        User._meta.get_field("username").run_validators(username)
    except ValidationError:
        return SkipReason.INVALID_USERNAME
    return username


def parse_email(value: object) -> str | SkipReason:
    if value is None or value == "":
        return SkipReason.MISSING_EMAIL
    if not isinstance(value, str):
        return SkipReason.INVALID_EMAIL

    email = User.objects.normalize_email(value)
    try:
        User._meta.get_field("email").run_validators(email)
    except ValidationError:
        return SkipReason.INVALID_EMAIL
    return email


def parse_full_name(value: object) -> str | SkipReason:
    if value is None:
        return ""
    if not isinstance(value, str):
        return SkipReason.INVALID_FULL_NAME

    try:
        User._meta.get_field("full_name").run_validators(value)
        reject_control_characters(value)
    except ValidationError:
        return SkipReason.INVALID_FULL_NAME
    return value


def parse_password_hash(value: object) -> str | SkipReason:
    """Return the bcrypt hash in Django's form, ``bcrypt$`` followed by the hash."""
    if not isinstance(value, str):
        return SkipReason.NOT_BCRYPT

    match = BCRYPT_HASH.fullmatch(value)
    if match is None or not BCRYPT_MIN_COST <= int(match["cost"]) <= BCRYPT_MAX_COST:
        return SkipReason.NOT_BCRYPT
    return f"bcrypt${value}"


def parse_otp_secret(value: object) -> bytes | SkipReason:
    """Decode a base32 secret as pyotp does: any case, padding optional.

    Spaces and other whitespace are removed first, since apps show secrets in
    groups. Bits left over after the last whole byte are dropped.
    """
    if value is None:
        return SkipReason.MISSING_SECRET
    if not isinstance(value, str):
        return SkipReason.SECRET_NOT_BASE32

    compact = "".join(value.split()).rstrip("=")
    if compact == "":
        return SkipReason.MISSING_SECRET
    if BASE32_TEXT.fullmatch(compact) is None:
        return SkipReason.SECRET_NOT_BASE32

    padded = compact.upper() + "=" * (-len(compact) % 8)
    try:
        key = base64.b32decode(padded)
    except binascii.Error:
        return SkipReason.SECRET_NOT_BASE32

    if len(key) < MIN_SECRET_BYTES:
        return SkipReason.SECRET_TOO_SHORT
    if len(key) > MAX_SECRET_BYTES:
        return SkipReason.SECRET_TOO_LONG
    return key


def parse_is_active(disabled: object) -> bool | SkipReason:
    """Return whether the account is active. A NULL ``disabled`` means active."""
    if disabled is None or disabled == 0:
        return True
    if disabled == 1:
        return False
    return SkipReason.INVALID_DISABLED


def parse_role(value: object) -> Role | SkipReason:
    if value is None:
        return Role.USER
    if value in Role.values:
        return Role(value)
    return SkipReason.UNKNOWN_ROLE


def parse_row(row: SourceRow) -> NewUser | SkippedRow:
    """Check every field of ``row``, collecting all reasons to skip it."""
    fields = {
        "username": parse_username(row.username),
        "email": parse_email(row.email),
        "full_name": parse_full_name(row.full_name),
        "password": parse_password_hash(row.hashed_password),
        "totp_key": parse_otp_secret(row.otp_secret),
        "is_active": parse_is_active(row.disabled),
        "role": parse_role(row.role),
    }

    reasons = tuple(value for value in fields.values() if isinstance(value, SkipReason))
    if reasons:
        return SkippedRow(row_id=row.row_id, username=row.username, reasons=reasons)
    return NewUser(row_id=row.row_id, **fields)


# Finding conflicts


def comparison_key(value: object) -> str | None:
    """Return ``value`` as the site compares usernames and emails, ignoring case."""
    if not isinstance(value, str) or value == "":
        return None
    return unicodedata.normalize("NFKC", value).lower()


def repeated_keys(values: Iterable[object]) -> set[str]:
    counts = Counter(key for value in values if (key := comparison_key(value)) is not None)
    return {key for key, count in counts.items() if count > 1}


def conflict_reasons(
    new_user: NewUser, repeated_usernames: set[str], repeated_emails: set[str]
) -> tuple[ConflictReason, ...]:
    """Return why ``new_user`` clashes with the site or the file, if it does.

    Every row that shares a username or email with another row is a conflict,
    not only the later ones, because the file cannot tell which is the person
    who should keep it.
    """
    reasons = []
    if comparison_key(new_user.username) in repeated_usernames:
        reasons.append(ConflictReason.USERNAME_REPEATED)
    if comparison_key(new_user.email) in repeated_emails:
        reasons.append(ConflictReason.EMAIL_REPEATED)

    by_username = User.objects.with_username(new_user.username).first()
    by_email = User.objects.with_email(new_user.email).first()
    if by_username is not None and by_username == by_email:
        reasons.append(ConflictReason.ALREADY_EXISTS)
    else:
        if by_username is not None:
            reasons.append(ConflictReason.USERNAME_TAKEN)
        if by_email is not None:
            reasons.append(ConflictReason.EMAIL_TAKEN)
    return tuple(reasons)


def plan_import(rows: list[SourceRow]) -> ImportPlan:
    """Decide for each row whether it is imported, skipped or a conflict.

    Reads the site's users but writes nothing. Run it in the transaction that
    creates the accounts, so that no account appears between check and write.
    """
    repeated_usernames = repeated_keys(row.username for row in rows)
    repeated_emails = repeated_keys(row.email for row in rows)
    plan = ImportPlan(new_users=[], skipped=[], conflicts=[])

    for row in rows:
        parsed = parse_row(row)
        if isinstance(parsed, SkippedRow):
            plan.skipped.append(parsed)
            continue

        reasons = conflict_reasons(parsed, repeated_usernames, repeated_emails)
        if reasons:
            plan.conflicts.append(Conflict(parsed.row_id, parsed.username, reasons))
        else:
            plan.new_users.append(parsed)
    return plan


# Writing


def create_imported_user(new_user: NewUser) -> User:
    """Create the account and its confirmed TOTP device, and audit the import."""
    user = User(
        username=new_user.username,
        email=new_user.email,
        full_name=new_user.full_name,
        role=new_user.role,
        is_active=new_user.is_active,
        password=new_user.password,
    )
    user.save()

    device = TOTPDevice(user=user, name=DEVICE_NAME, confirmed=True)
    device.set_key(new_user.totp_key)
    device.save()

    state = "active" if new_user.is_active else "disabled"
    audit.record(
        EventType.USER_CREATED,
        None,
        user=user,
        detail=f"imported from the FastAPI app, row {new_user.row_id}, role {user.role}, {state}",
    )
    return user


def import_users(path: Path, *, dry_run: bool = False) -> ImportPlan:
    """Import the users in the FastAPI app's file at ``path``.

    Creates every account of the plan in one transaction, or none if any
    fails. With ``dry_run`` the plan is only returned and nothing is written.
    """
    rows = read_rows(path)
    if dry_run:
        return plan_import(rows)

    with transaction.atomic():
        plan = plan_import(rows)
        for new_user in plan.new_users:
            create_imported_user(new_user)

    logger.info(
        "Imported %d users from %s, skipped %d rows and left %d conflicting rows alone.",
        len(plan.new_users),
        path,
        len(plan.skipped),
        len(plan.conflicts),
    )
    return plan


# Reporting


def report_lines(plan: ImportPlan, *, dry_run: bool) -> list[str]:
    """Return one line per row, then the summary with the count of each reason."""
    outcome = "would be imported" if dry_run else "imported"
    lines = []
    for new_user in plan.new_users:
        state = "active" if new_user.is_active else "disabled"
        lines.append(
            f"Row {new_user.row_id} ({new_user.username!r}) {outcome}: "
            f"role {new_user.role}, {state}."
        )
    for skipped in plan.skipped:
        reasons = "; ".join(reason.value for reason in skipped.reasons)
        lines.append(f"Row {skipped.row_id} ({skipped.username!r}) skipped: {reasons}.")
    for conflict in plan.conflicts:
        reasons = "; ".join(reason.value for reason in conflict.reasons)
        lines.append(f"Row {conflict.row_id} ({conflict.username!r}) left alone: {reasons}.")

    verb = "Would import" if dry_run else "Imported"
    lines.append(f"{verb} {counted(len(plan.new_users), 'user')}.")
    lines.append(f"Skipped {counted(len(plan.skipped), 'row')}.")
    lines.extend(reason_counts(plan.skipped))
    lines.append(f"Left {counted(len(plan.conflicts), 'conflicting row')} alone.")
    lines.extend(reason_counts(plan.conflicts))
    if dry_run:
        lines.append("Dry run: nothing was written.")
    return lines


def counted(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def reason_counts(rows: list[SkippedRow] | list[Conflict]) -> list[str]:
    counts = Counter(reason for row in rows for reason in row.reasons)
    return [f"  {reason.value}: {count}" for reason, count in counts.most_common()]
