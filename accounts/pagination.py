"""Pages of search results, found without counting every match.

Django's Paginator counts all rows first. For the unfiltered user list that
COUNT reads an index and stays cheap. A substring search cannot use an index,
so its COUNT reads every row of the table: 45 ms at 100,000 users on SQLite
on the 2-core machine of docs/benchmarks.md. A search page instead fetches
one row more than it shows, and a next page exists if that row does. The
page query stops as soon as it has enough matching rows.
"""

from dataclasses import dataclass

from django.db.models import QuerySet

# Page numbers above this are treated as this, so OFFSET stays a 64-bit integer.
MAX_PAGE_NUMBER = 1_000_000


@dataclass(frozen=True)
class LookaheadPage:
    """One page of results; the template API of Django's Page, less the totals."""

    object_list: list
    number: int
    has_next_page: bool

    # No paginator: the number of pages is not known.
    paginator = None

    def has_next(self) -> bool:
        return self.has_next_page

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def page_number(raw: str | None) -> int:
    """Return the page number in ``raw``, or 1 if it is missing or not a positive number."""
    try:
        number = int(raw or 1)
    except ValueError:
        return 1
    return min(max(number, 1), MAX_PAGE_NUMBER)


def lookahead_page(queryset: QuerySet, raw_number: str | None, per_page: int) -> LookaheadPage:
    """Return page ``raw_number`` of ``queryset``, or page 1 if that page is empty."""
    number = page_number(raw_number)
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    if not rows and number > 1:
        return lookahead_page(queryset, "1", per_page)
    return LookaheadPage(rows[:per_page], number, has_next_page=len(rows) > per_page)
