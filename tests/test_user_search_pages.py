"""Pages of user search results, which are paged without a COUNT of all matches."""

import re

import pytest
from django.urls import reverse

from bench.seeding import seed_users
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db

LIST = reverse("users:list")
ROW_LINK = re.compile(r'<td><a href="/users/\d+/">([^<]+)</a></td>')


def seed_named(count: int, prefix: str) -> None:
    seed_users(count=count, password=PASSWORD, key_seed=b"search pages", prefix=prefix)


def shown_usernames(html: str) -> list[str]:
    return ROW_LINK.findall(html)


def test_search_pages_through_all_matches(admin_client):
    seed_named(120, "match")
    seed_named(30, "other")

    pages = [admin_client.get(LIST, {"q": "match", "page": n}).content.decode() for n in (1, 2, 3)]

    shown = [name for html in pages for name in shown_usernames(html)]
    assert shown == [f"match{number:06d}" for number in range(120)]
    assert 'rel="next"' in pages[0]
    assert 'rel="prev"' not in pages[0]
    assert 'rel="next"' in pages[1]
    assert 'rel="next"' not in pages[2]
    assert "Page 3" in pages[2]


def test_search_with_exactly_one_page_has_no_next(admin_client):
    seed_named(50, "match")

    html = admin_client.get(LIST, {"q": "match"}).content.decode()

    assert len(shown_usernames(html)) == 50
    assert 'rel="next"' not in html
    assert 'class="pagination"' not in html


@pytest.mark.parametrize("page", ["", "0", "-3", "abc", "٣", "99999999999999999999999", "4"])
def test_search_bad_or_empty_page_shows_first_page(admin_client, page):
    seed_named(60, "match")

    response = admin_client.get(LIST, {"q": "match", "page": page})

    assert response.status_code == 200
    names = shown_usernames(response.content.decode())
    assert names[0] == "match000000"
    assert len(names) == 50


def test_unfiltered_list_still_shows_page_count(admin_client):
    seed_named(60, "user")

    html = admin_client.get(LIST).content.decode()

    assert "Page 1 of 2" in html
