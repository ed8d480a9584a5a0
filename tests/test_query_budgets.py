"""Every page issues the same number of queries however much data exists.

Each page is measured with a few rows, then again after many users, devices
and audit events were added; the count must not change. A count that grows
with the data (a query per row) would make pages slow on a large site.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuthEvent, EventType, User
from bench.seeding import seed_users
from tests.helpers import PASSWORD, create_user, submit_password

pytestmark = pytest.mark.django_db

KEY_SEED = b"query budget tests"
# Enough users for several pages of the user list (50 per page).
MANY_USERS = 180
EVENTS_PER_USER = 3
# No page needs more than this many queries.
MAX_QUERIES_PER_PAGE = 12

PAGES = [
    ("anonymous", "accounts:login", ""),
    ("pending", "accounts:code", ""),
    ("enrolling", "accounts:enrol", ""),
    ("user", "users:me", ""),
    ("user", "users:edit-me", ""),
    ("user", "accounts:logout", ""),
    ("admin", "users:list", ""),
    ("admin", "users:list", "?page=2"),
    ("admin", "users:list", "?q=Turing"),
    ("admin", "users:list", "?q=Turing&page=2"),
    ("admin", "users:list", "?q=nobody-matches-this"),
    ("admin", "users:create", ""),
    ("admin", "users:detail", ""),
    ("admin", "users:me", ""),
    ("admin", "audit:list", ""),
    ("admin", "audit:list", "?page=2"),
    ("admin", "audit:list", "?username=few"),
    ("admin", "admin:index", ""),
    ("admin", "admin:accounts_user_changelist", ""),
]


@pytest.fixture
def visitor(request, clock) -> Client:
    """A client in the state the page needs: anonymous, halfway or signed in."""
    kind = request.param
    if kind == "admin":
        return request.getfixturevalue("admin_client")
    if kind == "user":
        return request.getfixturevalue("user_client")

    client = Client()
    if kind == "pending":
        submit_password(client, create_user("pending").username)
    elif kind == "enrolling":
        submit_password(client, create_user("enrolling", enrolled=False).username)
    return client


def add_many_rows() -> None:
    """Add users with devices and audit events, and events for every existing user."""
    seed_users(
        count=MANY_USERS,
        password=PASSWORD,
        key_seed=KEY_SEED,
        prefix="many",
        events_per_user=EVENTS_PER_USER,
    )
    AuthEvent.objects.bulk_create(
        AuthEvent(
            user=user, username=user.username, event_type=EventType.SIGNIN_SUCCEEDED, succeeded=True
        )
        for user in User.objects.exclude(username__startswith="many")
        for _ in range(EVENTS_PER_USER)
    )


def page_url(name: str, query: str) -> str:
    if name == "users:detail":
        return reverse(name, args=[User.objects.order_by("pk").first().pk]) + query
    return reverse(name) + query


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, f"{url} returned {response.status_code}"
    return len(queries)


@pytest.mark.parametrize(
    ("visitor", "name", "query"),
    PAGES,
    indirect=["visitor"],
    ids=[f"{kind}-{name}{query}" for kind, name, query in PAGES],
)
def test_page_query_count_independent_of_data(visitor, name, query, django_assert_num_queries):
    # Numbers 9 and 10 are named Turing, so the search finds rows at both sizes.
    seed_users(
        count=2, start=9, password=PASSWORD, key_seed=KEY_SEED, prefix="few", events_per_user=1
    )
    url = page_url(name, query)
    few = count_queries(visitor, url)
    assert few <= MAX_QUERIES_PER_PAGE

    add_many_rows()

    with django_assert_num_queries(few):
        response = visitor.get(url)
    assert response.status_code == 200
