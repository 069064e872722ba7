"""Precomputing the weekly counts that would scan big tables (votes, fans, posts) if a
request counted them: one row per product and week (models.WeekFigures).

The scheduler's job (tasks.refresh_insights, every 10 minutes) recomputes the last two
weeks of every product: two index ranges per time zone and week (votes by `vote_created`,
posts by `post_product_new`), whatever the history's size. A product without rows yet gets
INSIGHTS_WEEKS weeks at once (the first run, `manage.py refresh_insights`, the demo).
One refresh at a time (a lease), so two workers never write the same row at once.
"""

from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from orangefriday.accounts.models import User
from orangefriday.board.models import Post, Product
from orangefriday.board.ranked import BoardFilter, board_posts, explores, ranked_page
from orangefriday.core import leases
from orangefriday.core.calendar import local_midnight, week_start
from orangefriday.voting.models import Vote

from .figures import mondays
from .models import WeekFigures

LEASE = "insights.refresh"
LEASE_SECONDS = 600
# Two weeks, not one: the week that just ended still gains its last votes for a moment.
RECENT_WEEKS = 2


def first_page_few_readers(product: Product) -> float | None:
    """The share of the first page of the product's board, in its default sort and as fans
    see it (the places given to posts not yet judged included), that went to posts with
    fewer than INSIGHTS_FEW_READERS readers (None for an empty board)."""
    board = BoardFilter(product_id=product.pk)
    posts = board_posts(board).filter(pinned=False)
    readers = [
        post.readers_count for post in ranked_page(posts, explore=explores(board), number=1).items
    ]
    if not readers:
        return None
    few = sum(1 for n in readers if n < settings.INSIGHTS_FEW_READERS)
    return few / len(readers)


def _count_by_product(rows, product_field: str) -> dict[int, int]:  # type: ignore[no-untyped-def]
    return dict(rows.order_by().values_list(product_field).annotate(n=Count("pk")))


def _refresh_zone(products: list[Product], zone: str, weeks: int, now: datetime) -> int:
    this_week = week_start(now, zone)
    written = 0
    for monday in mondays(now, zone, weeks):
        start = local_midnight(monday, zone)
        end = local_midnight(monday + timedelta(days=7), zone)
        joined = User.objects.filter(date_joined__gte=start, date_joined__lt=end).count()
        posts = _count_by_product(
            Post.objects.filter(
                product__in=products, created_at__gte=start, created_at__lt=end, pinned=False
            ),
            "product_id",
        )
        votes = _count_by_product(
            Vote.objects.filter(
                created_at__gte=start, created_at__lt=end, post__product__in=products
            ),
            "post__product_id",
        )
        # Counted first, written after in one short transaction: SQLite's one write lock
        # is not held while the votes are counted.
        rows = []
        for product in products:
            figures = {
                "fans_joined": joined,
                "posts": posts.get(product.pk, 0),
                "votes": votes.get(product.pk, 0),
                "refreshed_at": now,
            }
            if monday == this_week:  # earlier weeks keep what was measured in them
                figures["first_page_few_readers"] = first_page_few_readers(product)
            rows.append((product, figures))
        with transaction.atomic():
            for product, figures in rows:
                WeekFigures.objects.update_or_create(product=product, week=monday, defaults=figures)
        written += len(rows)
    return written


def refresh_week_figures(*, now: datetime | None = None, weeks: int | None = None) -> int:
    """Recompute the last `weeks` weeks of every product (RECENT_WEEKS by default; all
    INSIGHTS_WEEKS for a product that has no rows yet). Returns how many rows it wrote, 0
    when another refresh holds the lease."""
    now = now or timezone.now()
    holder = leases.new_holder()
    if not leases.take(LEASE, holder=holder, seconds=LEASE_SECONDS):
        return 0
    try:
        known = set(WeekFigures.objects.values_list("product_id", flat=True).distinct())
        groups: dict[tuple[str, int], list[Product]] = defaultdict(list)
        for product in Product.objects.order_by("pk"):
            span = weeks or (RECENT_WEEKS if product.pk in known else settings.INSIGHTS_WEEKS)
            groups[product.time_zone, span].append(product)
        written = 0
        for (zone, span), products in groups.items():
            written += _refresh_zone(products, zone, span, now)
        return written
    finally:
        leases.release(LEASE, holder=holder)
