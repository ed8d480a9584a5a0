"""Session timeouts, the list of signed-in sessions and signing out the others."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from accounts.models import AuthEvent, EventType, UserSession
from accounts.user_agents import describe
from tests.helpers import create_user, sign_in

pytestmark = pytest.mark.usefixtures("fast_password_hashing")

FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def signed_in_client(user, clock, **headers) -> Client:
    client = Client(**headers)
    sign_in(client, user)
    clock.shift(30)  # the next sign-in needs the next time step's code
    return client


def profile(client: Client):
    return client.get(reverse("users:me"))


def followed_messages(client: Client) -> str:
    return client.get(reverse("accounts:login")).content.decode()


@pytest.fixture
def alice(db):
    return create_user("alice")


def test_idle_session_ends(alice, clock):
    client = signed_in_client(alice, clock)

    # Activity within the idle time keeps the session going.
    clock.shift(29 * 60)
    assert profile(client).status_code == 200
    clock.shift(29 * 60)
    assert profile(client).status_code == 200

    clock.shift(31 * 60)
    response = profile(client)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert "minutes without activity" in followed_messages(client)
    assert AuthEvent.objects.filter(
        event_type=EventType.SIGNED_OUT, detail="idle timeout", user=alice
    ).exists()


def test_absolute_timeout_ends_active_session(alice, clock):
    client = signed_in_client(alice, clock)

    # A request every 20 minutes for 12 hours keeps it alive until the maximum.
    for _ in range(35):
        clock.shift(20 * 60)
        assert profile(client).status_code == 200

    clock.shift(20 * 60)
    assert profile(client).status_code == 302
    assert "sessions last at most 12 hours" in followed_messages(client)
    assert not UserSession.objects.filter(user=alice).exists()


def test_timeouts_configurable(alice, clock, settings):
    settings.SESSION_IDLE_MINUTES = 5
    client = signed_in_client(alice, clock)

    clock.shift(4 * 60)
    assert profile(client).status_code == 200
    clock.shift(5 * 60 + 1)
    assert profile(client).status_code == 302


def test_session_without_start_time_ends(alice, clock):
    client = signed_in_client(alice, clock)
    session = client.session
    del session["session_started_at"]
    session.save()

    assert profile(client).status_code == 302


def test_profile_lists_sessions(alice, clock):
    client = signed_in_client(alice, clock, HTTP_USER_AGENT=FIREFOX_LINUX, REMOTE_ADDR="127.0.0.2")
    signed_in_client(alice, clock, HTTP_USER_AGENT=SAFARI_IPHONE, REMOTE_ADDR="127.0.0.3")

    page = profile(client).content.decode()
    assert "Firefox on Linux" in page
    assert "Safari on iPhone" in page
    assert "127.0.0.2" in page
    assert "127.0.0.3" in page
    assert "(this browser)" in page
    assert "Sign out other sessions" in page


def test_last_seen_written_at_most_once_a_minute(alice, clock):
    client = signed_in_client(alice, clock)
    row = UserSession.objects.get(user=alice)
    first_seen = row.last_seen_at

    # signed_in_client moved the clock 30 s: too soon for a write.
    profile(client)
    row.refresh_from_db()
    assert row.last_seen_at == first_seen

    clock.shift(31)
    profile(client)
    row.refresh_from_db()
    assert (row.last_seen_at - first_seen).total_seconds() == 61


def test_sign_out_other_sessions(alice, clock):
    this_browser = signed_in_client(alice, clock)
    other_browser = signed_in_client(alice, clock)
    other_key = other_browser.session.session_key
    bob = create_user("bob")
    bobs_client = signed_in_client(bob, clock)

    response = this_browser.post(reverse("users:end-other-sessions"), follow=True)
    assert "1 other session is signed out." in response.content.decode()

    assert not Session.objects.filter(session_key=other_key).exists()
    assert profile(other_browser).status_code == 302
    assert profile(this_browser).status_code == 200
    assert profile(bobs_client).status_code == 200
    assert list(UserSession.objects.filter(user=alice)) == [
        UserSession.objects.get(session_key=this_browser.session.session_key)
    ]
    event = AuthEvent.objects.get(event_type=EventType.SESSIONS_ENDED)
    assert event.user == alice
    assert event.detail == "1 ended"


def test_sign_out_others_needs_post(alice, clock):
    client = signed_in_client(alice, clock)
    assert client.get(reverse("users:end-other-sessions")).status_code == 405


def test_sign_out_deletes_session_row(alice, clock):
    client = signed_in_client(alice, clock)
    assert UserSession.objects.filter(user=alice).count() == 1

    client.post(reverse("accounts:logout"))
    assert not UserSession.objects.filter(user=alice).exists()


def test_stale_rows_not_listed(alice, clock):
    client = signed_in_client(alice, clock)
    stale = UserSession.objects.create(
        user=alice,
        session_key="x" * 32,
        created_at=UserSession.objects.get().created_at,
        last_seen_at=UserSession.objects.get().last_seen_at,
    )

    profile(client)
    assert not UserSession.objects.filter(pk=stale.pk).exists()


@pytest.mark.parametrize(
    ("user_agent", "expected"),
    [
        (FIREFOX_LINUX, "Firefox on Linux"),
        (SAFARI_IPHONE, "Safari on iPhone"),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
            "Edge on Windows",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Mobile Safari/537.36",
            "Chrome on Android",
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "HeadlessChrome/156.0.0.0 Safari/537.36",
            "Chrome on Linux",
        ),
        ("curl/8.5.0", "curl"),
        ("", "Unknown browser"),
        ("\x00\n<script>", "Unknown browser"),
    ],
)
def test_describe_user_agent(user_agent, expected):
    assert describe(user_agent) == expected
