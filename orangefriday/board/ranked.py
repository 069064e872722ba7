"""The ranked board: every sort reads a stored, indexed score (the formulas are
ranking.scores; the trending window is moved each minute by the scheduler, voting's job)."""

from dataclasses import dataclass

from django.db.models import QuerySet

from .models import Post
from .search import RELEVANCE, by_relevance, filter_by_search

SORTS = {
    "hot": ("-hot_score", "-id"),
    "top": ("-votes_count", "-id"),
    "trending": ("-trending_votes", "-votes_count", "-id"),
    "new": ("-created_at", "-id"),
}
DEFAULT_SORT = "hot"


@dataclass(frozen=True)
class BoardFilter:
    product_id: int | None = None
    sort: str = DEFAULT_SORT
    kind: str | None = None
    status: str | None = None
    category_id: int | None = None
    tag: str | None = None
    q: str | None = None


def sorts_for(q: str | None) -> list[str]:
    """The orders a board can be read in, the default first: relevance for a search, else
    DEFAULT_SORT (the first of SORTS)."""
    return [RELEVANCE, *SORTS] if q else list(SORTS)


def board_posts(board: BoardFilter) -> QuerySet[Post]:
    if board.sort not in sorts_for(board.q):
        raise ValueError(f"Unknown sort {board.sort!r}")
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
