"""Reads of notifications and follows, shared by the pages and the API."""

from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db.models import QuerySet

from orangefriday.accounts.models import User
from orangefriday.board.models import Post

from .models import Notification, Subscription

PAGE_SIZE = 20
# The bell shows "99+" beyond this: counting stops there, however many are unread.
UNREAD_CAP = 99

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def _page(rows: QuerySet, number: int, size: int = PAGE_SIZE) -> Page:
    """One page without counting all rows: fetch one more than fits to learn if more exist."""
    number = max(number, 1)
    start = (number - 1) * size
    items = list(rows[start : start + size + 1])
    return Page(items=items[:size], number=number, has_next=len(items) > size)


def unread_count(fan: User) -> int:
    """Unread notifications, counted up to UNREAD_CAP + 1 on the (fan, read_at) index."""
    return Notification.objects.filter(fan=fan, read_at__isnull=True)[: UNREAD_CAP + 1].count()


def notifications_page(fan: User, *, number: int, unread_only: bool = False) -> Page[Notification]:
    """The fan's notifications, newest first."""
    rows = Notification.objects.filter(fan=fan).order_by("-created_at", "-pk")
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return _page(rows, number)


def is_following(fan: User, post: Post) -> bool:
    return Subscription.objects.filter(fan=fan, post=post, active=True).exists()


def followed_posts_page(fan: User, *, number: int) -> Page[Subscription]:
    """The posts the fan follows, most recently followed first."""
    rows = (
        Subscription.objects.filter(fan=fan, active=True, post__isnull=False)
        .select_related("post", "post__product")
        .order_by("-created_at", "-pk")
    )
    return _page(rows, number)
