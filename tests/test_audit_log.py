"""The audit log page, its read-only admin, pruning, and escaped usernames."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from accounts.escaping import visible_controls
from accounts.models import AuthEvent, EventType
from tests.helpers import START, create_user, submit_password

pytestmark = pytest.mark.usefixtures("fast_password_hashing")


def add_event(event_type=EventType.PASSWORD_FAILED, username="alice", days_ago=0, **fields):
    """Store an event, then backdate it: ``created_at`` is set on insert."""
    event = AuthEvent.objects.create(
        event_type=event_type, username=username, succeeded=False, **fields
    )
    AuthEvent.objects.filter(pk=event.pk).update(created_at=START - timedelta(days=days_ago))
    return event


def listed_usernames(response) -> list[str]:
    return [event.username for event in response.context["page"].object_list]


def audit_page(client: Client, **filters):
    return client.get(reverse("audit:list"), filters)


@pytest.fixture
def events(db):
    add_event(username="alice", days_ago=3)
    add_event(EventType.SIGNED_OUT, username="alice", days_ago=1)
    add_event(EventType.LOCKED_OUT, username="bob", days_ago=2)
    add_event(EventType.SESSIONS_ENDED, username="carol", days_ago=0)


def test_admin_sees_newest_first(admin_client, events):
    response = audit_page(admin_client)
    assert response.status_code == 200
    names = listed_usernames(response)
    # The admin's own sign-in events come first: they are the newest.
    assert names[-4:] == ["carol", "alice", "bob", "alice"]


def test_filter_by_username(admin_client, events):
    assert listed_usernames(audit_page(admin_client, username="ALI")) == ["alice", "alice"]


def test_filter_by_event_type(admin_client, events):
    response = audit_page(admin_client, event_type=EventType.LOCKED_OUT)
    assert listed_usernames(response) == ["bob"]


def test_filter_by_dates(admin_client, events):
    day = (START - timedelta(days=2)).date()
    response = audit_page(admin_client, date_from=day - timedelta(days=1), date_to=day)
    assert listed_usernames(response) == ["bob", "alice"]


@pytest.mark.parametrize(
    "filters",
    [
        {"date_from": "yesterday"},
        {"date_from": "2026-03-05", "date_to": "2026-03-01"},
        {"event_type": "made_up"},
        {"username": "x" * 500},
        {"page": "not-a-number"},
        {"username": "\x00"},
    ],
)
def test_bad_filters_are_not_errors(admin_client, events, filters):
    response = audit_page(admin_client, **filters)
    assert response.status_code == 200


def test_invalid_date_shows_error(admin_client, events):
    response = audit_page(admin_client, date_from="2026-03-05", date_to="2026-03-01")
    assert "must not be before" in response.content.decode()
    assert listed_usernames(response) == []


def test_paginated_by_fifty(admin_client, db):
    for number in range(120):
        add_event(username=f"user{number:03d}")

    first = audit_page(admin_client, event_type=EventType.PASSWORD_FAILED)
    third = audit_page(admin_client, event_type=EventType.PASSWORD_FAILED, page=3)
    assert len(listed_usernames(first)) == 50
    assert len(listed_usernames(third)) == 20
    assert "event_type=password_failed&amp;page=2" in first.content.decode()


def test_only_admins(user_client, db):
    assert audit_page(user_client).status_code == 403
    assert AuthEvent.objects.filter(event_type=EventType.ACCESS_DENIED, detail="/audit/").exists()

    response = audit_page(Client())
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_newline_username_shown_escaped(clock, admin_client):
    typed = "mallory\n2026-03-02 signin_succeeded root\x1b[31m\u202e"
    submit_password(Client(), typed, "wrong password")

    event = AuthEvent.objects.get(event_type=EventType.PASSWORD_FAILED)
    assert event.username == typed

    body = audit_page(admin_client, event_type=EventType.PASSWORD_FAILED).content.decode()
    assert "mallory\\n2026-03-02 signin_succeeded root\\x1b[31m\\u202e" in body
    assert "mallory\n" not in body
    assert "\x1b" not in body
    assert "\u202e" not in body


def test_nul_in_username_stored_visibly(db, clock):
    submit_password(Client(), "nul\x00byte", "wrong password")
    event = AuthEvent.objects.get(event_type=EventType.PASSWORD_FAILED)
    assert event.username == "nul\ufffdbyte"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain", "plain"),
        ("a\nb", "a\\nb"),
        ("tab\there", "tab\\there"),
        ("back\\slash", "back\\\\slash"),
        ("bell\x07", "bell\\x07"),
        ("rtl\u202eoverride", "rtl\\u202eoverride"),
        ("line\u2028separator", "line\\u2028separator"),
        ("Zoë 名前", "Zoë 名前"),
    ],
)
def test_visible_controls(text, shown):
    assert visible_controls(text) == shown


def test_admin_audit_is_read_only(admin_client, events):
    event = AuthEvent.objects.first()
    changelist = admin_client.get(reverse("admin:accounts_authevent_changelist"))
    assert changelist.status_code == 200
    assert admin_client.get(reverse("admin:accounts_authevent_add")).status_code == 403

    detail = admin_client.get(reverse("admin:accounts_authevent_change", args=[event.pk]))
    assert detail.status_code == 200
    assert b'name="_save"' not in detail.content

    delete = admin_client.post(
        reverse("admin:accounts_authevent_delete", args=[event.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert AuthEvent.objects.filter(pk=event.pk).exists()


def test_prune_default_retention(db, clock):
    add_event(username="old", days_ago=366)
    add_event(username="kept", days_ago=364)

    output = StringIO()
    call_command("prune_auth_events", stdout=output)
    assert "Deleted 1 events older than 365 days." in output.getvalue()
    assert list(AuthEvent.objects.values_list("username", flat=True)) == ["kept"]


def test_prune_retention_setting_and_option(db, clock, settings):
    settings.AUDIT_RETENTION_DAYS = 30
    add_event(username="old", days_ago=31)
    add_event(username="older", days_ago=100)
    add_event(username="new", days_ago=1)

    output = StringIO()
    call_command("prune_auth_events", "--dry-run", stdout=output)
    assert "2 events are older than 30 days" in output.getvalue()
    assert AuthEvent.objects.count() == 3

    call_command("prune_auth_events", "--days", "50", stdout=StringIO())
    assert sorted(AuthEvent.objects.values_list("username", flat=True)) == ["new", "old"]


def test_prune_rejects_zero_days(db):
    with pytest.raises(CommandError, match="at least 1"):
        call_command("prune_auth_events", "--days", "0")


def test_events_of_this_branch_recorded(clock, admin_client):
    """Each event type emitted by lockouts and sessions lands in the log."""
    create_user("target")
    for _ in range(10):
        submit_password(Client(), "target", "wrong password")
    admin_client.post(reverse("users:end-other-sessions"))

    recorded = set(AuthEvent.objects.values_list("event_type", flat=True))
    assert EventType.LOCKED_OUT in recorded
    assert EventType.SESSIONS_ENDED in recorded
