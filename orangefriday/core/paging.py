"""Pages of a list without counting all its rows: one more row is fetched than fits, to
learn whether a next page exists. The pages and the API read the page number here."""

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest

T = TypeVar("T")
PAGE_SIZE = 20
# Beyond this a page would skip more rows than any board has (and its offset could
# overflow the database's integer).
MAX_PAGE = 100_000


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def page_of(rows: QuerySet[Any], number: int, size: int = PAGE_SIZE) -> Page[Any]:
    # Bounded: a page far past the end is as empty as the next one.
    number = min(max(number, 1), MAX_PAGE)
    start = (number - 1) * size
    found = list(rows[start : start + size + 1])
    return Page(items=found[:size], number=number, has_next=len(found) > size)


def page_number(request: HttpRequest) -> int:
    """?page= of a page's link: anything but a positive number is the first page."""
    try:
        return min(max(int(request.GET.get("page", "1")), 1), MAX_PAGE)
    except ValueError:
        return 1
