"""Importing users from the FastAPI tutorial app's SQLite file."""

import base64
import io
import secrets
import sqlite3
from pathlib import Path

import bcrypt
import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp

from accounts import fastapi_import
from accounts.fastapi_import import ConflictReason, SkipReason, parse_otp_secret
from accounts.models import AuthEvent, EventType, Role, TOTPDevice, User
from tests.helpers import create_user, device_of, submit_code, submit_password

# The table as SQLAlchemy 2.1.9 creates it for a declarative model with these
# columns: Integer id, String columns, a Boolean disabled, and unique indexes
# on username and email. Every column but id may be NULL, and username and
# email are unique only in their exact letter case.
TUTORIAL_SCHEMA = """
CREATE TABLE users (
	id INTEGER NOT NULL,
	email VARCHAR,
	username VARCHAR,
	full_name VARCHAR,
	hashed_password VARCHAR,
	otp_secret VARCHAR,
	disabled BOOLEAN,
	role VARCHAR,
	PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_users_email ON users (email);
CREATE UNIQUE INDEX ix_users_username ON users (username);
CREATE INDEX ix_users_id ON users (id);
"""

OLD_PASSWORD = "old tutorial password"


def bcrypt_hash(password: str = OLD_PASSWORD) -> str:
    """Hash as the FastAPI app did, at the lowest cost so tests stay fast."""
    return bcrypt.hashpw(password.encode()[:72], bcrypt.gensalt(rounds=4)).decode("ascii")


def with_character(text: str, index: int, character: str) -> str:
    return text[:index] + character + text[index + 1 :]


# A valid hash to alter: "$2b$04$", 22 characters of salt, 31 of checksum.
VALID_HASH = bcrypt_hash()


def base32_secret(key_bytes: int = 20) -> str:
    """Return a random secret as pyotp stores it: upper case, no padding."""
    return base64.b32encode(secrets.token_bytes(key_bytes)).decode("ascii").rstrip("=")


def old_code(secret: str) -> str:
    """Return the code an authenticator app shows now for the old base32 secret."""
    padded = secret.replace(" ", "").upper().rstrip("=")
    padded += "=" * (-len(padded) % 8)
    return f"{totp(base64.b32decode(padded)):06d}"


def tutorial_row(row_id: int, username: str | None, **fields) -> dict:
    """Return a valid row of the users table, with ``fields`` replacing values."""
    row = {
        "id": row_id,
        "email": f"user{row_id}@example.com",
        "username": username,
        "full_name": f"User {row_id}",
        "hashed_password": bcrypt_hash(),
        "otp_secret": base32_secret(),
        "disabled": 0,
        "role": "user",
    }
    row.update(fields)
    return row


def write_tutorial_file(path: Path, rows: list[dict]) -> Path:
    connection = sqlite3.connect(path)
    with connection:
        connection.executescript(TUTORIAL_SCHEMA)
        connection.executemany(
            "INSERT INTO users VALUES (:id, :email, :username, :full_name, "
            ":hashed_password, :otp_secret, :disabled, :role)",
            rows,
        )
    connection.close()
    return path


def run_import(path: Path, *options: str) -> str:
    output = io.StringIO()
    call_command("import_fastapi_users", str(path), *options, stdout=output)
    return output.getvalue()


def counts() -> tuple[int, int, int]:
    return User.objects.count(), TOTPDevice.objects.count(), AuthEvent.objects.count()


# A 16-character secret is 80 bits, the shortest the import accepts.
SHORT_SECRET = base32_secret(10)

GOOD_ROWS = [
    tutorial_row(1, "alice", role="admin"),
    tutorial_row(2, "bob", role=None, disabled=None, full_name=None),
    tutorial_row(3, "carol", disabled=1),
    tutorial_row(4, "dave", otp_secret=SHORT_SECRET),
]

BAD_ROWS = [
    (tutorial_row(10, None), SkipReason.MISSING_USERNAME),
    (tutorial_row(11, ""), SkipReason.MISSING_USERNAME),
    (tutorial_row(12, "two words"), SkipReason.INVALID_USERNAME),
    (tutorial_row(13, "x" * 151), SkipReason.INVALID_USERNAME),
    (tutorial_row(14, "nul\x00byte"), SkipReason.INVALID_USERNAME),
    (tutorial_row(15, "noemail", email=None), SkipReason.MISSING_EMAIL),
    (tutorial_row(16, "bademail", email="not an address"), SkipReason.INVALID_EMAIL),
    (tutorial_row(17, "plain", hashed_password="secret"), SkipReason.NOT_BCRYPT),
    (
        tutorial_row(18, "pbkdf2", hashed_password="$pbkdf2-sha256$29000$c2FsdA$aGFzaA"),
        SkipReason.NOT_BCRYPT,
    ),
    (tutorial_row(19, "nohash", hashed_password=None), SkipReason.NOT_BCRYPT),
    (
        tutorial_row(27, "badsalt", hashed_password=with_character(VALID_HASH, 28, "A")),
        SkipReason.NOT_BCRYPT,
    ),
    (
        tutorial_row(28, "badsum", hashed_password=with_character(VALID_HASH, 59, "B")),
        SkipReason.NOT_BCRYPT,
    ),
    (
        tutorial_row(29, "cost3", hashed_password=VALID_HASH.replace("$04$", "$03$")),
        SkipReason.NOT_BCRYPT,
    ),
    (
        tutorial_row(30, "twox", hashed_password=VALID_HASH.replace("$2b$", "$2x$")),
        SkipReason.NOT_BCRYPT,
    ),
    (tutorial_row(20, "nosecret", otp_secret=None), SkipReason.MISSING_SECRET),
    (tutorial_row(21, "notb32", otp_secret="JBSWY3DPEHPK3PX1"), SkipReason.SECRET_NOT_BASE32),
    (tutorial_row(22, "shortkey", otp_secret=base32_secret(9)), SkipReason.SECRET_TOO_SHORT),
    (tutorial_row(23, "longkey", otp_secret=base32_secret(65)), SkipReason.SECRET_TOO_LONG),
    (tutorial_row(24, "boss", role="superuser"), SkipReason.UNKNOWN_ROLE),
    (tutorial_row(25, "maybe", disabled=2), SkipReason.INVALID_DISABLED),
    (tutorial_row(26, "newline", full_name="Eve\nAdmin"), SkipReason.INVALID_FULL_NAME),
]


@pytest.fixture
def tutorial_file(tmp_path) -> Path:
    rows = GOOD_ROWS + [row for row, _reason in BAD_ROWS]
    return write_tutorial_file(tmp_path / "twofactor_app.db", rows)


# Importing


@pytest.mark.django_db
def test_import_creates_users(tutorial_file):
    run_import(tutorial_file)

    alice = User.objects.get(username="alice")
    assert alice.email == "user1@example.com"
    assert alice.full_name == "User 1"
    assert alice.role == Role.ADMIN
    assert alice.is_active
    assert not alice.is_staff
    assert alice.password == "bcrypt$" + GOOD_ROWS[0]["hashed_password"]

    bob = User.objects.get(username="bob")
    assert bob.role == Role.USER
    assert bob.is_active
    assert bob.full_name == ""

    carol = User.objects.get(username="carol")
    assert not carol.is_active


@pytest.mark.django_db
def test_import_keeps_totp_secrets(tutorial_file):
    run_import(tutorial_file)

    for row in GOOD_ROWS:
        user = User.objects.get(username=row["username"])
        device = device_of(user)
        padded = row["otp_secret"] + "=" * (-len(row["otp_secret"]) % 8)
        assert device.bin_key == base64.b32decode(padded)
        assert row["otp_secret"] not in device.encrypted_key
    assert len(device_of(User.objects.get(username="dave")).bin_key) == 10


@pytest.mark.django_db
def test_import_audits_each_user(tutorial_file):
    run_import(tutorial_file)

    events = AuthEvent.objects.filter(event_type=EventType.USER_CREATED)
    assert sorted(event.username for event in events) == ["alice", "bob", "carol", "dave"]
    for event in events:
        assert "imported from the FastAPI app" in event.detail
        assert event.client_address is None
    carol_event = events.get(username="carol")
    assert "row 3" in carol_event.detail
    assert "disabled" in carol_event.detail


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "reason"), BAD_ROWS, ids=[f"{row['id']}-{reason.name}" for row, reason in BAD_ROWS]
)
def test_bad_row_skipped_with_reason(tutorial_file, row, reason):
    output = run_import(tutorial_file)

    expected = f"Row {row['id']} ({row['username']!r}) skipped: {reason.value}."
    assert expected in output.splitlines()
    assert not User.objects.filter(email=row["email"]).exists()


@pytest.mark.django_db
def test_row_with_two_problems_lists_both(tmp_path):
    row = tutorial_row(1, "twice", email="nope", role="owner")
    path = write_tutorial_file(tmp_path / "twofactor_app.db", [row])

    output = run_import(path)

    assert SkipReason.INVALID_EMAIL.value in output
    assert SkipReason.UNKNOWN_ROLE.value in output
    assert "Skipped 1 row." in output


@pytest.mark.django_db
def test_undecodable_text_skips_row(tmp_path):
    path = write_tutorial_file(tmp_path / "twofactor_app.db", [tutorial_row(1, "good")])
    connection = sqlite3.connect(path)
    with connection:
        connection.execute(
            "INSERT INTO users VALUES (2, 'blob@example.com', CAST(X'FF00' AS TEXT), "
            "NULL, ?, ?, 0, 'user')",
            (bcrypt_hash(), base32_secret()),
        )
    connection.close()

    output = run_import(path)

    assert f"Row 2 (b'\\xff\\x00') skipped: {SkipReason.INVALID_USERNAME.value}." in output
    assert User.objects.filter(username="good").exists()


@pytest.mark.django_db
def test_summary_counts_every_reason(tutorial_file):
    output = run_import(tutorial_file)

    assert "Imported 4 users." in output
    assert f"Skipped {len(BAD_ROWS)} rows." in output
    assert f"  {SkipReason.MISSING_USERNAME.value}: 2\n" in output
    assert f"  {SkipReason.NOT_BCRYPT.value}: 7\n" in output
    for reason in SkipReason:
        assert f"  {reason.value}: " in output
    assert "Left 0 conflicting rows alone." in output
    assert "Row 1 ('alice') imported: role admin, active." in output
    assert "Row 3 ('carol') imported: role user, disabled." in output


# Dry run and repeated runs


@pytest.mark.django_db
def test_dry_run_writes_nothing(tutorial_file):
    before = counts()

    output = run_import(tutorial_file, "--dry-run")

    assert counts() == before
    assert "Would import 4 users." in output
    assert "Row 4 ('dave') would be imported: role user, active." in output
    assert f"Skipped {len(BAD_ROWS)} rows." in output
    assert "Dry run: nothing was written." in output


@pytest.mark.django_db
def test_second_run_creates_nothing(tutorial_file):
    run_import(tutorial_file)
    after_first = counts()

    output = run_import(tutorial_file)

    assert counts() == after_first
    assert "Imported 0 users." in output
    assert "Left 4 conflicting rows alone." in output
    assert f"  {ConflictReason.ALREADY_EXISTS.value}: 4" in output


@pytest.mark.django_db
def test_failure_rolls_back_whole_import(tutorial_file, monkeypatch):
    create = fastapi_import.create_imported_user
    calls = []

    def fail_on_third_user(new_user):
        calls.append(new_user.username)
        if len(calls) == 3:
            raise DatabaseError("disk I/O error")
        return create(new_user)

    monkeypatch.setattr(fastapi_import, "create_imported_user", fail_on_third_user)
    before = counts()

    with pytest.raises(CommandError, match="rolled back"):
        run_import(tutorial_file)

    assert len(calls) == 3
    assert counts() == before


# Conflicts


@pytest.mark.django_db
def test_existing_user_in_other_case_untouched(tmp_path):
    existing = create_user("ALICE", email="someone@example.com", full_name="Site Alice")
    existing_key = device_of(existing).bin_key
    existing_password = existing.password
    path = write_tutorial_file(tmp_path / "twofactor_app.db", [tutorial_row(1, "alice")])

    output = run_import(path)

    existing.refresh_from_db()
    assert existing.username == "ALICE"
    assert existing.email == "someone@example.com"
    assert existing.full_name == "Site Alice"
    assert existing.password == existing_password
    assert device_of(existing).bin_key == existing_key
    assert TOTPDevice.objects.filter(user=existing).count() == 1
    assert User.objects.count() == 1
    assert f"Row 1 ('alice') left alone: {ConflictReason.USERNAME_TAKEN.value}." in output


@pytest.mark.django_db
def test_existing_email_in_other_case_conflicts(tmp_path):
    create_user("zed", email="Bob@Example.COM")
    row = tutorial_row(1, "bob", email="bob@example.com")
    path = write_tutorial_file(tmp_path / "twofactor_app.db", [row])

    output = run_import(path)

    assert not User.objects.filter(username="bob").exists()
    assert f"Row 1 ('bob') left alone: {ConflictReason.EMAIL_TAKEN.value}." in output


@pytest.mark.django_db
def test_repeated_in_file_imports_neither(tmp_path):
    rows = [
        tutorial_row(1, "eve"),
        tutorial_row(2, "EVE", email="other@example.com"),
        tutorial_row(3, "frank", email="shared@example.com"),
        tutorial_row(4, "grace", email="SHARED@example.com"),
        tutorial_row(5, "heidi"),
    ]
    path = write_tutorial_file(tmp_path / "twofactor_app.db", rows)

    output = run_import(path)

    assert list(User.objects.values_list("username", flat=True)) == ["heidi"]
    assert f"  {ConflictReason.USERNAME_REPEATED.value}: 2" in output
    assert f"  {ConflictReason.EMAIL_REPEATED.value}: 2" in output
    assert "Left 4 conflicting rows alone." in output


# Signing in as an imported user


def sign_in_with_old_secret(client: Client, username: str, secret: str, password: str):
    response = submit_password(client, username, password)
    assert response.status_code == 302, "password step failed"
    assert response.url == reverse("accounts:code")
    return submit_code(client, old_code(secret))


@pytest.mark.django_db
@pytest.mark.parametrize("row", [GOOD_ROWS[0], GOOD_ROWS[3]], ids=["160-bit", "80-bit"])
def test_imported_user_signs_in(tutorial_file, clock, row):
    run_import(tutorial_file)
    client = Client()

    response = sign_in_with_old_secret(client, row["username"], row["otp_secret"], OLD_PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("users:me")
    assert client.get(reverse("users:me")).status_code == 200


@pytest.mark.django_db
def test_sign_in_upgrades_hash_to_argon2(tutorial_file, clock):
    run_import(tutorial_file)
    assert User.objects.get(username="bob").password.startswith("bcrypt$")

    sign_in_with_old_secret(Client(), "bob", GOOD_ROWS[1]["otp_secret"], OLD_PASSWORD)

    bob = User.objects.get(username="bob")
    assert bob.password.startswith("argon2$argon2id$")
    assert bob.check_password(OLD_PASSWORD)


@pytest.mark.django_db
def test_wrong_password_keeps_bcrypt_hash(tutorial_file):
    run_import(tutorial_file)

    response = submit_password(Client(), "bob", "not the old password")

    assert response.status_code == 200
    assert User.objects.get(username="bob").password.startswith("bcrypt$")


@pytest.mark.django_db
def test_disabled_user_cannot_sign_in(tutorial_file, clock):
    run_import(tutorial_file)
    client = Client()

    response = submit_password(client, "carol", OLD_PASSWORD)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert submit_code(client, old_code(GOOD_ROWS[2]["otp_secret"])).url == reverse(
        "accounts:login"
    )
    assert client.get(reverse("users:me")).status_code == 302


@pytest.mark.django_db
def test_password_over_72_bytes_signs_in(tmp_path, clock):
    long_password = "pässwörd " * 12
    assert len(long_password.encode()) > 72
    row = tutorial_row(1, "long", hashed_password=bcrypt_hash(long_password))
    run_import(write_tutorial_file(tmp_path / "twofactor_app.db", [row]))

    wrong = submit_password(Client(), "long", "x" * 500)
    response = sign_in_with_old_secret(Client(), "long", row["otp_secret"], long_password)

    assert wrong.status_code == 200
    assert response.status_code == 302
    assert User.objects.get(username="long").password.startswith("argon2$")


# The secret's format


@pytest.mark.parametrize(
    "text",
    [
        "JBSWY3DPEHPK3PXP",
        "jbswy3dpehpk3pxp",
        "JBSW Y3DP EHPK 3PXP",
        "JBSWY3DPEHPK3PXP======",
        " jbsw y3dp ehpk 3pxp ",
    ],
)
def test_secret_formats_decode_alike(text):
    assert parse_otp_secret(text) == base64.b32decode("JBSWY3DPEHPK3PXP")


def test_unpadded_secret_of_26_characters_decodes():
    assert len(parse_otp_secret("S46SQCPPTCNPROMHWYBDCTBZXV")) == 16


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", SkipReason.MISSING_SECRET),
        ("   ", SkipReason.MISSING_SECRET),
        ("JBSWY3DPEHPK3PX=P", SkipReason.SECRET_NOT_BASE32),
        ("JBSWY3DPEHPK3PXPA", SkipReason.SECRET_NOT_BASE32),
        ("\uff2aBSWY3DPEHPK3PXP", SkipReason.SECRET_NOT_BASE32),
        ("JBSWY3DPEHPK3PX", SkipReason.SECRET_TOO_SHORT),
        (12345, SkipReason.SECRET_NOT_BASE32),
    ],
)
def test_invalid_secret_rejected(text, reason):
    assert parse_otp_secret(text) is reason


# Files that are not the tutorial app's database


@pytest.mark.django_db
def test_missing_file_is_command_error(tmp_path):
    with pytest.raises(CommandError, match="File not found"):
        run_import(tmp_path / "absent.db")


@pytest.mark.django_db
def test_directory_is_command_error(tmp_path):
    with pytest.raises(CommandError, match="is not a file"):
        run_import(tmp_path)


@pytest.mark.django_db
def test_non_sqlite_file_is_command_error(tmp_path):
    path = tmp_path / "twofactor_app.db"
    path.write_text("id,email,username\n1,alice@example.com,alice\n" * 100)

    with pytest.raises(CommandError, match="is not an SQLite database"):
        run_import(path)


@pytest.mark.django_db
@pytest.mark.parametrize("schema", ["", "CREATE TABLE accounts (id INTEGER PRIMARY KEY)"])
def test_missing_users_table_is_command_error(tmp_path, schema):
    path = tmp_path / "other.db"
    connection = sqlite3.connect(path)
    connection.executescript(schema)
    connection.close()

    with pytest.raises(CommandError, match="has no 'users' table"):
        run_import(path)


@pytest.mark.django_db
def test_missing_columns_is_command_error(tmp_path):
    path = tmp_path / "twofactor_app.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, username TEXT)")
    connection.close()

    with pytest.raises(CommandError, match="lacks the columns full_name, hashed_password"):
        run_import(path)
