"""The ranked board: every sort reads a stored, indexed score (the formulas are
ranking.best and ranking.scores; the trending window is moved each minute by the scheduler,
voting's job).

The default sort, "best", gives the last places of its first page to the posts read by too
few fans to be judged (ranking.best.first_page), read from the top rows of a second index.
"""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from orangefriday.core.paging import MAX_PAGE, PAGE_SIZE, Page, page_of
from orangefriday.ranking.best import first_page

from .models import Post, Status
from .search import RELEVANCE, by_relevance, filter_by_search

BEST = "best"
SORTS = {
    BEST: ("-best_score", "-id"),
    "hot": ("-hot_score", "-id"),
    "top": ("-votes_count", "-id"),
    "trending": ("-trending_votes", "-votes_count", "-id"),
    "new": ("-created_at", "-id"),
}
DEFAULT_SORT = BEST
EXPLORE_ORDER = ("-explore_priority", "-id")

# Posts whose story is over leave the lists that no status filter narrows: a merged
# duplicate lives on in its original, a shipped or declined post is no longer asked for.
# Choosing the status shows them.
SETTLED = (Status.DUPLICATE, Status.SHIPPED, Status.DECLINED)


@dataclass(frozen=True)
class BoardFilter:
    product_id: int | None = None
    sort: str = DEFAULT_SORT
    kind: str | None = None
    status: str | None = None
    category_id: int | None = None
    tag: str | None = None
    q: str | None = None
    featured: bool = False


def sort_label(sort: str) -> str:
    """The name a fan reads for a sort (its tab on the board)."""
    labels = {
        RELEVANCE: _("Relevance"),
        BEST: _("Best"),
        "hot": _("Hot"),
        "top": _("Top"),
        "trending": _("Trending"),
        "new": _("New"),
    }
    return labels[sort]


def sorts_for(q: str | None) -> list[str]:
    """The orders a board can be read in, the default first: relevance for a search, else
    DEFAULT_SORT (the first of SORTS)."""
    return [RELEVANCE, *SORTS] if q else list(SORTS)


def board_posts(board: BoardFilter) -> QuerySet[Post]:
    if board.sort not in sorts_for(board.q):
        raise ValueError(f"Unknown sort {board.sort!r}")
    posts = Post.objects.visible().select_related("product", "author", "category")
    if board.product_id is not None:
        posts = posts.filter(product_id=board.product_id)
    if board.kind:
        posts = posts.filter(kind=board.kind)
    # The status chosen; else a search or the featured posts show every status (a fan
    # looking for an idea wants to learn it shipped), and the board's lists leave the
    # settled ones out.
    if board.featured:
        posts = posts.filter(featured_at__isnull=False)
    if board.status:
        posts = posts.filter(status=board.status)
    elif not board.q and not board.featured:
        posts = posts.exclude(status__in=SETTLED)
    if board.category_id:
        posts = posts.filter(category_id=board.category_id)
    if board.tag:
        posts = posts.filter(tags__name__iexact=board.tag)
    if board.q and board.sort == RELEVANCE:
        return by_relevance(posts, board.q)
    if board.q:
        return filter_by_search(posts, board.q, SORTS[board.sort])
    return posts.order_by(*SORTS[board.sort])


def explores(board: BoardFilter) -> bool:
    """Whether the board's first page tries promising posts: in the best order, unless it
    is a search (whose order is a filter of the board, not its first page)."""
    return board.sort == BEST and not board.q


def ranked_page(
    posts: QuerySet[Post], *, explore: bool, number: int, size: int = PAGE_SIZE
) -> Page[Post]:
    """Page `number` of `posts` (board_posts' rows, perhaps narrowed further) in their order.
    With `explore` (the best order), the first page gives its last places to the most
    promising posts not already on it, and the next pages continue the ranking without the
    posts it showed."""
    if not explore:
        return page_of(posts, number, size)
    number = min(max(number, 1), MAX_PAGE)
    ranked = list(posts[: size + 1])
    if len(ranked) <= size:  # one page: nothing to try
        return Page(items=ranked if number == 1 else [], number=number, has_next=False)
    promising = list(posts.order_by(*EXPLORE_ORDER)[:size])
    first = first_page(ranked, promising, page_size=size)
    if number == 1:
        return Page(items=first, number=1, has_next=True)
    later = page_of(posts.exclude(pk__in=[post.pk for post in first]), number - 1, size)
    return Page(items=later.items, number=number, has_next=later.has_next)
