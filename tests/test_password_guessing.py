"""Password guessing limits: per username, per address, growing and self-lifting."""

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.models import AuthEvent, EventType
from accounts.password_guessing import PasswordCheck, check_password, reject_when_locked_out
from tests.hashers import CountingArgon2Hasher
from tests.helpers import PASSWORD, create_user, sign_in, submit_password

pytestmark = pytest.mark.usefixtures("fast_password_hashing")

WRONG = "not the password at all"
LIMIT = 10  # PASSWORD_FAILURE_LIMIT's default


def attempt(username: str, password: str = WRONG, address: str = "127.0.0.1"):
    """Submit the password step from ``address`` in a fresh browser."""
    return submit_password(Client(REMOTE_ADDR=address), username, password)


def is_locked_page(response) -> bool:
    return response.status_code == 429 and b"Too many failed attempts" in response.content


@pytest.mark.django_db
def test_twenty_failures_from_changing_addresses(clock):
    alice = create_user("alice")
    create_user("bob")

    # Nine failures are refused as wrong passwords, the tenth starts a lockout.
    for number in range(1, LIMIT):
        response = attempt("alice", address=f"127.0.0.{number}")
        assert response.status_code == 200
    assert is_locked_page(attempt("alice", address=f"127.0.0.{LIMIT}"))

    # The other ten are refused as locked, whatever the address.
    for number in range(LIMIT + 1, 21):
        assert is_locked_page(attempt("alice", address=f"127.0.0.{number}"))

    # The right password is refused too while the lockout lasts.
    assert is_locked_page(attempt("alice", PASSWORD, address="127.0.0.99"))

    # Another account from the same addresses is not affected.
    response = attempt("bob", PASSWORD, address="127.0.0.5")
    assert response.status_code == 302
    assert response.url == reverse("accounts:code")

    # After the one-minute lockout the right password passes again.
    clock.shift(61)
    response = attempt("alice", PASSWORD, address="127.0.0.99")
    assert response.status_code == 302
    assert response.url == reverse("accounts:code")
    assert alice.auth_events.filter(event_type=EventType.PASSWORD_PASSED).exists()


@pytest.mark.django_db
def test_lockout_grows_then_lifts(clock):
    create_user("alice")
    for number in range(LIMIT):
        attempt("alice", address=f"127.0.0.{number + 1}")

    # One more failure after the first lockout locks for two minutes.
    clock.shift(61)
    assert is_locked_page(attempt("alice"))
    clock.shift(119)
    assert is_locked_page(attempt("alice", PASSWORD))

    # The next one doubles it again, to four minutes.
    clock.shift(2)
    assert is_locked_page(attempt("alice"))
    clock.shift(239)
    assert is_locked_page(attempt("alice", PASSWORD))
    clock.shift(2)
    assert attempt("alice", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_lockout_capped_at_maximum(clock, settings):
    settings.PASSWORD_LOCKOUT_MAX_MINUTES = 3
    create_user("alice")
    for _ in range(LIMIT + 5):
        attempt("alice")
        clock.shift(4 * 60)

    # However many failures, a lockout never lasts beyond the maximum.
    attempt("alice")
    clock.shift(3 * 60 + 1)
    assert attempt("alice", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_lockout_per_address(clock, settings):
    settings.PASSWORD_ADDRESS_FAILURE_LIMIT = 5
    create_user("alice")

    for number in range(5):
        attempt(f"someone{number}", address="127.0.0.7")

    # Every username is refused from that address, none from another.
    assert is_locked_page(attempt("alice", PASSWORD, address="127.0.0.7"))
    assert attempt("alice", PASSWORD, address="127.0.0.8").status_code == 302

    clock.shift(61)
    assert attempt("alice", PASSWORD, address="127.0.0.7").status_code == 302


@pytest.mark.django_db
def test_username_case_shares_one_count(clock):
    create_user("alice")
    spellings = ["alice", "Alice", "ALICE", "aLiCe", "alicE"]
    for number in range(LIMIT):
        attempt(spellings[number % len(spellings)], address=f"127.0.0.{number + 1}")

    assert is_locked_page(attempt("alice", PASSWORD, address="127.0.0.200"))


@pytest.mark.django_db
def test_success_of_one_user_keeps_others_count(clock):
    create_user("alice")
    bob = create_user("bob")
    for _ in range(LIMIT - 1):
        attempt("alice")

    # Bob signs in from the same address; Alice's count stays.
    sign_in(Client(REMOTE_ADDR="127.0.0.1"), bob)
    assert is_locked_page(attempt("alice"))


@pytest.mark.django_db
def test_failures_forgotten_after_memory(clock):
    create_user("alice")
    for _ in range(LIMIT - 1):
        attempt("alice")

    clock.shift(24 * 3600 + 1)
    for _ in range(LIMIT - 1):
        assert attempt("alice").status_code == 200


@pytest.mark.django_db
def test_lockout_recorded_in_audit_log(clock):
    alice = create_user("alice")
    for _ in range(LIMIT + 1):
        attempt("alice")

    events = AuthEvent.objects.filter(event_type=EventType.LOCKED_OUT).order_by("pk")
    assert [event.detail for event in events] == [
        "limit reached at /accounts/login/",
        "attempt during lockout at /accounts/login/",
    ]
    assert all(event.user == alice for event in events)
    assert all(not event.succeeded for event in events)


@pytest.mark.django_db
def test_lockout_page_has_retry_after(clock):
    create_user("alice")
    for _ in range(LIMIT):
        response = attempt("alice")

    assert response["Retry-After"] == "60"
    assert "no-store" in response["Cache-Control"]
    assert b'class="site-header"' in response.content
    clock.shift(30)
    assert attempt("alice")["Retry-After"] == "30"


@pytest.mark.django_db
def test_stored_attempts_hide_password(clock):
    create_user("alice")
    attempt("alice", "secret-guess-4711")

    stored = AccessAttempt.objects.get()
    assert "secret-guess-4711" not in stored.post_data
    assert "alice" not in stored.post_data


@pytest.mark.django_db
def test_check_password_for_other_forms(clock):
    alice = create_user("alice")
    factory = RequestFactory(REMOTE_ADDR="127.0.0.3")

    results = [check_password(factory.post("/change/"), alice, WRONG) for _ in range(LIMIT)]
    assert results == [PasswordCheck.REJECTED] * (LIMIT - 1) + [PasswordCheck.LOCKED_OUT]

    # Locked: even the right password is not compared.
    assert check_password(factory.post("/change/"), alice, PASSWORD) is PasswordCheck.LOCKED_OUT
    clock.shift(61)
    assert check_password(factory.post("/change/"), alice, PASSWORD) is PasswordCheck.ACCEPTED


@pytest.mark.django_db
def test_check_password_counts_with_sign_in(clock):
    alice = create_user("alice")
    for _ in range(LIMIT - 1):
        attempt("alice", address="127.0.0.4")

    # The password form's failure adds to the sign-in failures of the same user.
    request = RequestFactory(REMOTE_ADDR="127.0.0.5").post("/change/")
    assert check_password(request, alice, WRONG) is PasswordCheck.LOCKED_OUT
    assert is_locked_page(attempt("alice", PASSWORD, address="127.0.0.6"))


@pytest.mark.django_db
def test_reject_when_locked_out_decorator(clock):
    alice = create_user("alice")
    calls = []

    @reject_when_locked_out
    def change_password(request):
        calls.append(request)
        return check_password(request, request.user, WRONG)

    factory = RequestFactory(REMOTE_ADDR="127.0.0.9")
    for _ in range(LIMIT):
        request = factory.post("/change/")
        request.user = alice
        change_password(request)

    request = factory.post("/change/")
    request.user = alice
    response = change_password(request)
    assert response.status_code == 429
    assert len(calls) == LIMIT


def test_lockout_check_hashes_password(db, clock):
    """A locked-out check hashes the password, like every other failed one."""
    create_user("alice", password=PASSWORD)
    for _ in range(LIMIT):
        attempt("alice")

    CountingArgon2Hasher.calls = 0
    assert is_locked_page(attempt("alice"))
    assert CountingArgon2Hasher.calls == 1


@pytest.mark.django_db
def test_forged_forwarded_for_ignored_without_proxy(clock, settings):
    settings.PASSWORD_ADDRESS_FAILURE_LIMIT = 3
    create_user("alice")

    # Without a trusted proxy, a changing X-Forwarded-For does not change the address.
    for number in range(3):
        client = Client(REMOTE_ADDR="127.0.0.7", HTTP_X_FORWARDED_FOR=f"127.0.1.{number}")
        submit_password(client, f"someone{number}", WRONG)

    assert is_locked_page(attempt("alice", PASSWORD, address="127.0.0.7"))


@pytest.mark.django_db
def test_forwarded_for_behind_one_proxy(clock, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.PASSWORD_ADDRESS_FAILURE_LIMIT = 3
    create_user("alice")

    # Behind one proxy, the right-most entry is the client; entries left of it are forged.
    for number in range(3):
        forwarded = f"127.0.2.{number}, 127.0.0.30"
        client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
        submit_password(client, f"someone{number}", WRONG)

    locked = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="127.0.0.30")
    other = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="127.0.0.31")
    assert is_locked_page(submit_password(locked, "alice"))
    assert submit_password(other, "alice").status_code == 302
    assert AccessAttempt.objects.filter(ip_address="127.0.0.30").count() == 3


@pytest.mark.django_db
def test_invalid_forwarded_for_uses_remote_address(clock, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    create_user("alice")

    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="not-an-address")
    assert submit_password(client, "alice", WRONG).status_code == 200
    assert AccessAttempt.objects.get().ip_address == "127.0.0.1"
