"""The ranked board: every sort reads a stored, indexed score."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from orangefriday.board.models import Post
from orangefriday.board.search import RELEVANCE, by_relevance, filter_by_search
from orangefriday.core.api import MAX_PAGE
from orangefriday.voting.actions import expire_trending_votes
from orangefriday.voting.models import TrendingWindow

from .scores import trending_cutoff

SORTS = {
    "hot": ("-hot_score", "-id"),
    "top": ("-votes_count", "-id"),
    "trending": ("-trending_votes", "-votes_count", "-id"),
    "new": ("-created_at", "-id"),
}
DEFAULT_SORT = "hot"
PAGE_SIZE = 20
# The trending window is moved forward at most this often, by the first trending read after.
TRENDING_REFRESH = timedelta(minutes=1)


@dataclass(frozen=True)
class BoardFilter:
    product_id: int | None = None
    sort: str = DEFAULT_SORT
    kind: str | None = None
    status: str | None = None
    category_id: int | None = None
    tag: str | None = None
    q: str | None = None


def refresh_trending_if_stale() -> None:
    now = timezone.now()
    window = TrendingWindow.objects.filter(pk=1).first()
    if window is None or window.counted_after < trending_cutoff(now) - TRENDING_REFRESH:
        expire_trending_votes(now=now)


def sorts_for(q: str | None) -> list[str]:
    """The orders a board can be read in, the default first: relevance for a search, else
    DEFAULT_SORT (the first of SORTS)."""
    return [RELEVANCE, *SORTS] if q else list(SORTS)


def board_posts(board: BoardFilter) -> QuerySet[Post]:
    if board.sort not in sorts_for(board.q):
        raise ValueError(f"Unknown sort {board.sort!r}")
    if board.sort == "trending":
        refresh_trending_if_stale()
    posts = Post.objects.select_related("product", "author", "category")
    if board.product_id is not None:
        posts = posts.filter(product_id=board.product_id)
    if board.kind:
        posts = posts.filter(kind=board.kind)
    if board.status:
        posts = posts.filter(status=board.status)
    if board.category_id:
        posts = posts.filter(category_id=board.category_id)
    if board.tag:
        posts = posts.filter(tags__name__iexact=board.tag)
    if board.q and board.sort == RELEVANCE:
        return by_relevance(posts, board.q)
    if board.q:
        return filter_by_search(posts, board.q, SORTS[board.sort])
    return posts.order_by(*SORTS[board.sort])


@dataclass(frozen=True)
class Page:
    posts: list[Post]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def page_of(posts: QuerySet[Post], number: int, size: int = PAGE_SIZE) -> Page:
    """One page without counting all rows: fetch one more than fits to learn if more exist."""
    # Bounded: a page far past the end is as empty as the next one, and its offset must
    # not overflow the database's integer.
    number = min(max(number, 1), MAX_PAGE)
    start = (number - 1) * size
    rows = list(posts[start : start + size + 1])
    return Page(posts=rows[:size], number=number, has_next=len(rows) > size)
