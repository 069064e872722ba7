"""The stored scores of the "best" sort (the formulas are ranking.best's, pure).

A post's `best_score` and `explore_priority` depend on its weighted counts and its product's
typical rate. They are written in the transaction that changes the counts (a vote, a read
flush) and, for all of a product's posts, when the periodic refit moves the typical rate;
no request computes them.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q

from orangefriday.ranking.best import (
    TypicalRate,
    best_score,
    explore_priority,
    refit_typical_rate,
)

from .models import Post, Product
from .ranked import SETTLED

# A refit that moves the rate and the strength by less than this share leaves the stored
# scores as they are: rewriting every post of a big board each hour for a change no order
# shows would cost more than it tells.
REFIT_TOLERANCE = 0.01

# Posts rescored per transaction: short enough that votes on them wait only milliseconds.
RESCORE_CHUNK = 500


def scores(
    *, weighted_votes: float, weighted_readers: float, typical: TypicalRate
) -> dict[str, float]:
    """The stored scores of a post with these counts, as Post fields."""
    return {
        "best_score": best_score(
            weighted_votes=weighted_votes, weighted_readers=weighted_readers, typical=typical
        ),
        "explore_priority": explore_priority(
            weighted_votes=weighted_votes, weighted_readers=weighted_readers, typical=typical
        ),
    }


def rescore(post_ids: set[int] | list[int]) -> None:
    """Store the scores of these posts from their stored counts. The caller holds the posts'
    row locks (in its transaction), so no vote changes the counts in between."""
    posts = list(
        Post.objects.filter(pk__in=post_ids)
        .only(
            "pk",
            "weighted_votes",
            "weighted_readers",
            "product__typical_rate",
            "product__typical_strength",
        )
        .select_related("product")
    )
    for post in posts:
        fields = scores(
            weighted_votes=post.weighted_votes,
            weighted_readers=post.weighted_readers,
            typical=post.product.typical,
        )
        for name, value in fields.items():
            setattr(post, name, value)
    Post.objects.bulk_update(posts, ["best_score", "explore_priority"])


def _moved(old: TypicalRate, new: TypicalRate) -> bool:
    return (
        abs(new.rate - old.rate) > REFIT_TOLERANCE * old.rate
        or abs(new.strength - old.strength) > REFIT_TOLERANCE * old.strength
    )


def refit_product(product: Product, *, now: datetime) -> TypicalRate:
    """Refit the product's typical rate from its posts' weighted counts and, when it moved,
    rescore every post of the product (in short transactions, each post locked while its
    score is written). Posts with no readers say nothing of the rate and are left out."""
    counts = Post.objects.filter(product=product, weighted_readers__gt=0).values_list(
        "weighted_votes", "weighted_readers"
    )
    typical = refit_typical_rate(counts.iterator(chunk_size=2000))
    moved = _moved(product.typical, typical)
    Product.objects.filter(pk=product.pk).update(
        typical_rate=typical.rate, typical_strength=typical.strength, typical_fitted_at=now
    )
    product.typical_rate, product.typical_strength = typical.rate, typical.strength
    if moved:
        rescore_product(product)
    return typical


def rescore_product(product: Product) -> None:
    """Store the scores of every post of the product from its stored counts."""
    last = 0
    while True:
        with transaction.atomic():
            chunk = list(
                Post.objects.select_for_update()
                .filter(Q(product=product) & Q(pk__gt=last))
                .order_by("pk")
                .values_list("pk", flat=True)[:RESCORE_CHUNK]
            )
            if not chunk:
                return
            rescore(chunk)
        last = chunk[-1]


def refit_typical_rates(*, now: datetime) -> int:
    """The periodic refit of every product (the scheduler's job); returns how many."""
    products = list(Product.objects.all())
    for product in products:
        refit_product(product, now=now)
    return len(products)


@dataclass(frozen=True)
class WhyItRanks:
    """What a post's "why it ranks here" line says: its counts and its score, in percent."""

    votes: int
    readers: int
    weighted_votes: float
    weighted_readers: float
    score_percent: float
    typical_percent: float
    typical_strength: float
    # Shipped, declined and merged posts are on no default list (board.ranked.SETTLED).
    ranked: bool


def why_it_ranks(post: Post) -> WhyItRanks:
    return WhyItRanks(
        votes=post.votes_count,
        readers=post.readers_count,
        weighted_votes=post.weighted_votes,
        weighted_readers=post.weighted_readers,
        score_percent=100 * post.best_score,
        typical_percent=100 * post.product.typical_rate,
        typical_strength=post.product.typical_strength,
        ranked=post.status not in SETTLED,
    )
