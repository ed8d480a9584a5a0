"""Page weight: small pages, and static files compressed and cached forever."""

import gzip
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from whitenoise.middleware import WhiteNoiseMiddleware

from accounts.models import User
from bench.seeding import seed_users
from tests.helpers import PASSWORD, create_user, submit_password

# HTML plus the CSS it links, per page.
MAX_PAGE_BYTES = 30 * 1024
# Ten years in seconds, what far-future caching means for hashed file names.
FAR_FUTURE_SECONDS = 10 * 365 * 24 * 60 * 60
STYLESHEET = re.compile(r'<link rel="stylesheet" href="/static/([^"]+)"')
PRODUCTION_STATIC = {
    "STORAGES": {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    },
    "WHITENOISE_USE_FINDERS": False,
    "WHITENOISE_AUTOREFRESH": False,
}

PAGES = [
    ("anonymous", "accounts:login", ""),
    ("pending", "accounts:code", ""),
    ("enrolling", "accounts:enrol", ""),
    ("user", "users:me", ""),
    ("user", "users:edit-me", ""),
    ("user", "accounts:logout", ""),
    ("admin", "users:list", ""),
    ("admin", "users:list", "?q=Longname"),
    ("admin", "users:create", ""),
    ("admin", "users:detail", ""),
    ("admin", "audit:list", ""),
]


def linked_css_bytes(html: str) -> int:
    total = 0
    for name in STYLESHEET.findall(html):
        path = finders.find(name)
        assert path is not None, f"linked stylesheet {name} not found"
        total += Path(path).stat().st_size
    return total


@pytest.fixture
def visitor(request, db, clock) -> Client:
    """A client in the state the page needs, with a full page of long user rows."""
    # Long names and addresses, so each row of the user list is as wide as it gets.
    seed_users(
        count=120,
        password=PASSWORD,
        key_seed=b"page weight",
        prefix="a-long-username-",
        events_per_user=1,
    )
    User.objects.update(full_name="Maria Magdalena Longname-Doppelname von Beispielhausen")

    kind = request.param
    if kind in ("admin", "user"):
        return request.getfixturevalue(f"{kind}_client")
    client = Client()
    if kind == "pending":
        submit_password(client, create_user("pending").username)
    elif kind == "enrolling":
        submit_password(client, create_user("a" * 150, enrolled=False).username)
    return client


@pytest.mark.parametrize(
    ("visitor", "name", "query"),
    PAGES,
    indirect=["visitor"],
    ids=[f"{kind}-{name}{query}" for kind, name, query in PAGES],
)
def test_page_with_css_under_limit(visitor, name, query):
    args = [User.objects.order_by("pk").first().pk] if name == "users:detail" else []
    response = visitor.get(reverse(name, args=args) + query)
    assert response.status_code == 200
    html = response.content.decode()
    if name == "users:list":
        assert html.count("<tr>") == 51, "the list should show a full page of 50 users"

    assert len(response.content) + linked_css_bytes(html) < MAX_PAGE_BYTES


@pytest.fixture
def collected_static(tmp_path):
    """Collect static files as production does, into a temporary STATIC_ROOT."""
    with override_settings(STATIC_ROOT=tmp_path, **PRODUCTION_STATIC):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield tmp_path


def test_collected_css_has_hashed_and_compressed_copies(collected_static):
    hashed = [p for p in collected_static.glob("css/site.*.css") if p.name.count(".") == 2]

    assert len(hashed) == 1
    compressed = hashed[0].with_name(hashed[0].name + ".gz")
    assert gzip.decompress(compressed.read_bytes()) == hashed[0].read_bytes()
    assert compressed.stat().st_size < hashed[0].stat().st_size


# The db fixture is there because closing a response closes old database
# connections, as at the end of every request.
def test_hashed_css_served_compressed_and_cached_forever(db, collected_static):
    [hashed] = [p for p in collected_static.glob("css/site.*.css") if p.name.count(".") == 2]
    middleware = WhiteNoiseMiddleware(get_response=lambda request: None)
    request = RequestFactory().get(f"/static/css/{hashed.name}", HTTP_ACCEPT_ENCODING="gzip")

    response = middleware(request)

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "immutable"} <= cache_control
    assert f"max-age={FAR_FUTURE_SECONDS}" in cache_control
    response.close()


def test_unhashed_css_not_cached_forever(db, collected_static):
    middleware = WhiteNoiseMiddleware(get_response=lambda request: None)
    request = RequestFactory().get("/static/css/site.css")

    response = middleware(request)

    assert response.status_code == 200
    assert "immutable" not in response["Cache-Control"]
    response.close()
