from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from orangefriday.board.models import Kind, Post, Product, Status
from orangefriday.board.search import highlight
from orangefriday.core.pagecache import cached_for_visitors
from orangefriday.voting.queries import voted_post_ids

from .queries import BoardFilter, Page, board_posts, page_of, sorts_for


def _page_number(request: HttpRequest) -> int:
    try:
        return max(int(request.GET.get("page", "1")), 1)
    except ValueError:
        return 1


def _choice(value: str | None, allowed: list[str]) -> str | None:
    return value if value in allowed else None


def _mark_votes(request: HttpRequest, page: Page) -> None:
    voted = voted_post_ids(fan=request.user, post_ids=[p.pk for p in page.posts])
    for post in page.posts:
        post.voted = post.pk in voted  # type: ignore[attr-defined]


def _ranked_page(request: HttpRequest, product: Product | None) -> dict:
    """Read the board's sort, filters and page from the query string; unknown values are
    ignored rather than refused, so a stale link still shows a board."""
    params = request.GET
    q = params.get("q", "").strip()[:200] or None
    sorts = sorts_for(q)
    chosen_sort = _choice(params.get("sort"), sorts)
    category = None
    if product is not None and params.get("category"):
        category = product.categories.filter(slug=params["category"]).first()
    board = BoardFilter(
        product_id=product.pk if product else None,
        sort=chosen_sort or sorts[0],
        kind=_choice(params.get("kind"), Kind.values),
        status=_choice(params.get("status"), Status.values),
        category_id=category.pk if category else None,
        tag=params.get("tag", "").strip()[:40] or None,
        q=q,
    )
    page = page_of(board_posts(board), _page_number(request))
    _mark_votes(request, page)
    if q:
        highlight(page.posts, q)
    query = params.copy()
    query.pop("page", None)
    return {
        "board": board,
        "category": category,
        "page": page,
        "sorts": sorts,
        # A sort the fan picked is kept when they search; otherwise a search is by relevance.
        "sort_chosen": chosen_sort is not None,
        "kinds": Kind.choices,
        "statuses": Status.choices,
        "query_without_page": query.urlencode(),
    }


@cached_for_visitors
def home(request: HttpRequest) -> HttpResponse:
    products = Product.objects.annotate(post_count=Count("posts")).order_by("name")
    hot = page_of(board_posts(BoardFilter(sort="hot")), 1, size=10)
    _mark_votes(request, hot)
    return render(request, "ranking/home.html", {"products": products, "hot": hot})


@cached_for_visitors
def board(request: HttpRequest, slug: str) -> HttpResponse:
    product = get_object_or_404(Product, slug=slug)
    context = _ranked_page(request, product)
    # Pinned posts (the week's release announcement) head the unfiltered first page, and
    # are then not repeated in the ranked list below them.
    pinned: list[Post] = []
    if not (set(request.GET) - {"sort"}):
        pinned_posts = product.posts.filter(pinned=True).select_related("author", "product")
        pinned = list(pinned_posts.order_by("-created_at")[:3])
        page = context["page"]
        page.posts[:] = [post for post in page.posts if not post.pinned]
    context.update(product=product, categories=product.categories.all(), pinned=pinned)
    return render(request, "ranking/board.html", context)


def search(request: HttpRequest) -> HttpResponse:
    context = _ranked_page(request, None)
    context["searched"] = bool(context["board"].q)
    return render(request, "ranking/search.html", context)


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "ranking/about.html", {"post_count": Post.objects.count()})
