"""Recovery codes: generation, storage, the separate form, throttling and races."""

import math
import threading
from urllib.parse import urlsplit

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts import recovery, recovery_codes
from accounts.models import AuthEvent, EventType, RecoveryCode, RecoveryCodeDevice
from accounts.verification import throttle_wait_seconds
from tests.helpers import (
    code_for,
    create_user,
    device_of,
    sign_in,
    submit_code,
    submit_password,
)
from tests.security_helpers import (
    codes_on_page,
    issue_codes,
    sent_texts,
    submit_recovery_code,
)

pytestmark = pytest.mark.django_db


def enrol_and_see_codes(client: Client, username: str = "newbie"):
    """Sign a new user in through enrolment; return the user and the page with codes."""
    user = create_user(username, enrolled=False)
    submit_password(client, username)
    client.get(reverse("accounts:enrol"))
    device = device_of(user, confirmed=False)
    response = submit_code(client, code_for(device), step="accounts:enrol")
    return user, response


# Generation and format


def test_code_entropy_at_least_50_bits():
    assert recovery_codes.ENTROPY_BITS >= 50
    assert math.isclose(recovery_codes.ENTROPY_BITS, 12 * math.log2(31))


def test_alphabet_has_no_ambiguous_characters():
    for character in "0O1lIio":
        assert character not in recovery_codes.ALPHABET


def test_codes_are_grouped_and_distinct(user):
    codes = issue_codes(user)

    assert len(codes) == 10
    assert len(set(codes)) == 10
    for code in codes:
        assert recovery_codes.normalize_code(code) is not None
        assert [len(group) for group in code.split("-")] == [4, 4, 4]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("abcd-efgh-jkmn", "abcdefghjkmn"),
        ("ABCD EFGH JKMN", "abcdefghjkmn"),
        (" abcdefghjkmn ", "abcdefghjkmn"),
        ("abcd-efgh-jkm", None),
        ("abcd-efgh-jkmnp", None),
        ("abcd-efgh-jkm0", None),
        ("abcd-efgh-jklo", None),
        ("123456", None),
        ("", None),
        ("\uff41\uff42\uff43\uff44-efgh-jkmn", None),
        ("abcd\x00efgh-jkmn", None),
    ],
)
def test_normalize_code(raw, expected):
    assert recovery_codes.normalize_code(raw) == expected


# Enrolment shows the codes once


def test_enrolment_shows_ten_codes(client):
    user, response = enrol_and_see_codes(client)

    assert response.status_code == 200
    assert b"Your recovery codes" in response.content
    codes = codes_on_page(response)
    assert len(codes) == 10
    assert recovery.remaining_count(user) == 10
    assert client.get(reverse("users:me")).status_code == 200


def test_enrolment_records_generation(client):
    user, _response = enrol_and_see_codes(client)

    events = AuthEvent.objects.filter(user=user, event_type=EventType.RECOVERY_CODES_GENERATED)
    assert events.count() == 1


def test_download_serves_text_attachment(client):
    _user, response = enrol_and_see_codes(client)
    codes = codes_on_page(response)

    download = client.post(
        reverse("users:recovery-codes-shown"), {"code": codes, "action": "download"}
    )

    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/plain")
    assert download["Content-Disposition"].startswith("attachment;")
    assert ".txt" in download["Content-Disposition"]
    for code in codes:
        assert code in download.content.decode()


def test_download_rejects_codes_not_issued(client):
    enrol_and_see_codes(client)
    made_up = ["abcd-efgh-jkmn", "<script>alert(1)</script>"]

    download = client.post(
        reverse("users:recovery-codes-shown"), {"code": made_up, "action": "download"}
    )

    assert download.status_code == 400
    assert b"script" not in download.content


def test_download_ends_after_confirmation(client):
    _user, response = enrol_and_see_codes(client)
    codes = codes_on_page(response)
    url = reverse("users:recovery-codes-shown")

    confirmed = client.post(url, {"code": codes, "action": "continue", "saved": "on"})
    download = client.post(url, {"code": codes, "action": "download"})

    assert confirmed.status_code == 302
    assert download.status_code == 404
    assert codes[0] not in download.content.decode()


def test_continue_needs_the_checkbox(client):
    _user, response = enrol_and_see_codes(client)
    codes = codes_on_page(response)

    again = client.post(
        reverse("users:recovery-codes-shown"), {"code": codes, "action": "continue"}
    )

    assert again.status_code == 200
    assert b"Tick the box" in again.content
    assert codes_on_page(again) == codes


def test_continue_goes_to_the_next_url(client):
    user = create_user("newbie", enrolled=False)
    submit_password(client, "newbie", next="/users/me/edit/")
    client.get(reverse("accounts:enrol"))
    response = submit_code(client, code_for(device_of(user, confirmed=False)), "accounts:enrol")
    codes = codes_on_page(response)

    done = client.post(
        reverse("users:recovery-codes-shown"),
        {"code": codes, "action": "continue", "saved": "on", "next": "/users/me/edit/"},
    )

    assert done.status_code == 302
    assert urlsplit(done.url).path == "/users/me/edit/"


def test_download_needs_sign_in(client, user):
    codes = issue_codes(user)

    response = client.post(reverse("users:recovery-codes-shown"), {"code": codes})

    assert response.status_code == 302
    assert urlsplit(response.url).path == reverse("accounts:login")


# Storage


def every_stored_value() -> list[tuple[str, str]]:
    """Return (table, value as text) for every column of every row in the database."""
    values = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608
            for row in cursor.fetchall():
                values.extend((table, str(value)) for value in row)
    return values


def test_database_holds_no_plaintext_code(client):
    _user, response = enrol_and_see_codes(client)
    codes = codes_on_page(response)
    forms = codes + [code.replace("-", "") for code in codes]
    stored = every_stored_value()
    sessions = [str(session.get_decoded()) for session in Session.objects.all()]

    assert len(codes) == 10
    assert any(table == "accounts_recoverycode" for table, _value in stored)
    assert sessions
    for table, value in stored:
        for code in forms:
            assert code not in value, f"{table} contains a recovery code"
    for decoded in sessions:
        for code in forms:
            assert code not in decoded, "a session contains a recovery code"


def test_database_row_holds_a_digest(user):
    codes = issue_codes(user)
    device = RecoveryCodeDevice.objects.get(user=user)
    compact = recovery_codes.normalize_code(codes[0])

    digests = set(RecoveryCode.objects.filter(device=device).values_list("digest", flat=True))

    assert recovery_codes.digest(device.salt, compact) in digests
    assert compact not in digests


def test_new_set_voids_the_old_one(user):
    old = issue_codes(user)
    new = issue_codes(user)
    device = RecoveryCodeDevice.objects.get(user=user)

    assert recovery.valid_codes(user, old) == []
    assert recovery.valid_codes(user, new) == new
    assert RecoveryCodeDevice.objects.filter(user=user).count() == 1
    assert device.codes.count() == 10


# Signing in with a recovery code


def test_code_step_links_to_recovery(client, user):
    submit_password(client, user.username)

    response = client.get(reverse("accounts:code"))

    assert reverse("accounts:recovery").encode() in response.content


def test_recovery_code_works_once(client, user, clock):
    codes = issue_codes(user)

    submit_password(client, user.username)
    first = submit_recovery_code(client, codes[0])
    assert first.status_code == 302
    assert client.get(reverse("users:me")).status_code == 200
    client.post(reverse("accounts:logout"))

    other = Client()
    submit_password(other, user.username)
    second = submit_recovery_code(other, codes[0])
    assert second.status_code == 200
    assert b"not valid or was already used" in second.content
    assert recovery.remaining_count(user) == 9


def test_recovery_sign_in_verifies_with_recovery_device(client, user):
    codes = issue_codes(user)
    submit_password(client, user.username)

    submit_recovery_code(client, codes[0].upper().replace("-", " "))

    response = client.get(reverse("users:me"))
    assert response.status_code == 200
    assert response.wsgi_request.user.otp_device == RecoveryCodeDevice.objects.get(user=user)


def test_recovery_sign_in_records_use_and_count(client, user):
    codes = issue_codes(user)
    submit_password(client, user.username)

    response = submit_recovery_code(client, codes[0])
    page = client.get(response.url)

    event = AuthEvent.objects.get(user=user, event_type=EventType.RECOVERY_CODE_USED)
    assert event.detail == "9 left"
    assert b"You have 9 recovery codes left." in page.content


def test_few_codes_left_warns(client, user, clock):
    codes = issue_codes(user)
    for code in codes[:7]:
        assert recovery.use_code(RecoveryCodeDevice.objects.get(user=user), code).value == (
            "accepted"
        )
        clock.shift(1)
    submit_password(client, user.username)

    response = submit_recovery_code(client, codes[7])
    page = client.get(response.url)

    assert b"You have 2 recovery codes left." in page.content
    assert b"Generate a new set" in page.content
    assert b"message-warning" in page.content


def test_recovery_use_sends_notice_without_code(client, user, mailoutbox):
    codes = issue_codes(user)
    submit_password(client, user.username)

    submit_recovery_code(client, codes[0])

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [user.email]
    assert "9 recovery codes are left" in mailoutbox[0].body
    for text in sent_texts():
        for code in codes:
            assert code not in text
            assert code.replace("-", "") not in text


def test_recovery_step_needs_pending_sign_in(client, user):
    response = client.get(reverse("accounts:recovery"))

    assert response.status_code == 302
    assert urlsplit(response.url).path == reverse("accounts:login")


def test_user_without_codes_is_rejected(client, user):
    submit_password(client, user.username)

    response = submit_recovery_code(client, "abcd-efgh-jkmn")

    assert response.status_code == 200
    assert b"not valid or was already used" in response.content


# The two fields never accept each other's codes


def test_totp_code_rejected_in_recovery_form(client, user):
    issue_codes(user)
    submit_password(client, user.username)

    response = submit_recovery_code(client, code_for(device_of(user)))

    assert response.status_code == 200
    assert b"Enter one of your recovery codes" in response.content
    assert client.get(reverse("users:me")).status_code == 302
    assert device_of(user).last_t == -1


def test_recovery_code_rejected_in_totp_form(client, user):
    codes = issue_codes(user)
    submit_password(client, user.username)

    response = submit_code(client, codes[0])

    assert response.status_code == 200
    assert b"Enter the 6-digit code" in response.content
    assert client.get(reverse("users:me")).status_code == 302
    assert recovery.remaining_count(user) == 10


# Throttling


def test_totp_sign_ins_leave_recovery_throttle_alone(user, clock):
    codes = issue_codes(user)

    for _ in range(10):
        client = Client()
        sign_in(client, user)
        clock.shift(30)

    device = RecoveryCodeDevice.objects.get(user=user)
    assert device.throttling_failure_count == 0
    assert throttle_wait_seconds(device) == 0
    client = Client()
    submit_password(client, user.username)
    assert submit_recovery_code(client, codes[0]).status_code == 302


def test_recovery_failures_are_throttled_with_wait(client, user, clock):
    codes = issue_codes(user)
    submit_password(client, user.username)

    first = submit_recovery_code(client, "abcd-efgh-jkmn")
    blocked = submit_recovery_code(client, codes[0])

    assert b"Wait 1 second before the next try." in first.content
    assert blocked.status_code == 200
    assert b"not valid" in blocked.content
    assert recovery.remaining_count(user) == 10

    clock.shift(2)
    second = submit_recovery_code(client, "abcd-efgh-jkmp")
    assert b"Wait 2 seconds before the next try." in second.content
    device = RecoveryCodeDevice.objects.get(user=user)
    assert device.throttling_failure_count == 2

    clock.shift(3)
    assert submit_recovery_code(client, codes[0]).status_code == 302


def test_recovery_failures_do_not_throttle_totp(client, user, clock):
    issue_codes(user)
    submit_password(client, user.username)
    for last in "npq":
        submit_recovery_code(client, f"abcd-efgh-jkm{last}")
        clock.shift(5)

    response = submit_code(client, code_for(device_of(user)))

    assert response.status_code == 302
    assert device_of(user).throttling_failure_count == 0


def test_totp_failures_do_not_throttle_recovery(client, user, clock):
    codes = issue_codes(user)
    submit_password(client, user.username)
    for _ in range(3):
        submit_code(client, "000000")
        clock.shift(5)

    response = submit_recovery_code(client, codes[0])

    assert response.status_code == 302


# Concurrency


@pytest.mark.django_db(transaction=True)
def test_same_code_twice_at_once_succeeds_once():
    user = create_user("racer")
    codes = issue_codes(user)
    device = RecoveryCodeDevice.objects.get(user=user)
    barrier = threading.Barrier(2)
    results = []

    def use() -> None:
        barrier.wait()
        results.append(recovery.use_code(RecoveryCodeDevice.objects.get(pk=device.pk), codes[0]))
        connection.close()

    threads = [threading.Thread(target=use) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcome.value for outcome in results) == ["accepted", "rejected"]
    assert recovery.remaining_count(user) == 9


def test_consume_deletes_only_once(user):
    codes = issue_codes(user)
    compact = recovery_codes.normalize_code(codes[0])
    first = RecoveryCodeDevice.objects.get(user=user)
    second = RecoveryCodeDevice.objects.get(user=user)

    assert first.consume(compact) is True
    assert second.consume(compact) is False


# Regenerating from the profile


def test_profile_shows_count(clock, user_client, user):
    issue_codes(user)

    response = user_client.get(reverse("users:me"))

    assert b"10 unused codes" in response.content


def test_regenerate_shows_new_set(clock, user_client, user, mailoutbox):
    old = issue_codes(user)

    page = user_client.get(reverse("users:recovery-codes"))
    response = user_client.post(reverse("users:recovery-codes"))

    assert page.status_code == 200
    new = codes_on_page(response)
    assert len(new) == 10
    assert set(new).isdisjoint(old)
    assert recovery.valid_codes(user, old) == []
    assert len(mailoutbox) == 1
    for code in old + new:
        assert code not in mailoutbox[0].body


def test_regenerate_needs_reauthentication(clock, user_client, user):
    old = issue_codes(user)
    clock.shift(301)

    response = user_client.post(reverse("users:recovery-codes"))

    assert response.status_code == 302
    assert urlsplit(response.url).path == reverse("users:reauthenticate")
    assert recovery.valid_codes(user, old) == old


# Two-factor reset by an admin


def test_two_factor_reset_voids_codes(clock, admin_client, user):
    codes = issue_codes(user)

    response = admin_client.post(reverse("users:reset-two-factor", args=[user.pk]))

    assert response.status_code == 302
    assert not RecoveryCodeDevice.objects.filter(user=user).exists()
    assert RecoveryCode.objects.count() == 0
    client = Client()
    submit_password(client, user.username)
    attempt = submit_recovery_code(client, codes[0])
    assert attempt.status_code == 302
    assert attempt.url == reverse("accounts:enrol")
    assert client.get(reverse("users:me")).status_code == 302
