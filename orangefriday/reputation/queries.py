"""Reads of reputation: a fan's standing in points, the leaderboards, the published rules."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Sum

from orangefriday.accounts.models import User
from orangefriday.board.models import Post, Product
from orangefriday.core.calendar import local_midnight, week_start

from .models import Entry, Medal, Total
from .rules import MEDALS_BY_CODE, REASONS, Level, MedalRule, level_for, points_for

RECENT_ENTRIES = 10
LEADERBOARD_SIZE = 20


@dataclass(frozen=True)
class Earned:
    medal: MedalRule
    awarded_at: datetime


@dataclass(frozen=True)
class FanPoints:
    fan: User
    points: int
    level: Level
    per_product: list[tuple[Product, int]]
    medals: list[Earned]
    recent: list[Entry]


def site_points(fan_ids: list[int]) -> dict[int, int]:
    return dict(
        Total.objects.filter(fan_id__in=fan_ids, product__isnull=True).values_list(
            "fan_id", "points"
        )
    )


def medals_of(fan_ids: list[int]) -> dict[int, list[Earned]]:
    found: dict[int, list[Earned]] = {}
    for medal in Medal.objects.filter(fan_id__in=fan_ids).order_by("awarded_at", "pk"):
        rule = MEDALS_BY_CODE.get(medal.code)
        if rule is not None:
            found.setdefault(medal.fan_id, []).append(Earned(rule, medal.awarded_at))
    return found


def _without_hidden_titles(entries: list[Entry]) -> list[Entry]:
    """The rows as shown: one that came from a post no longer shown (hidden, deleted, held
    or merged) keeps its points but not the post's title or link (nothing hidden leaks)."""
    post_ids = {e.source_id for e in entries if e.source_type == "board.post"}
    shown = set(Post.objects.visible().filter(pk__in=post_ids).values_list("pk", flat=True))
    for entry in entries:
        if entry.source_type == "board.post" and entry.source_id not in shown:
            entry.note, entry.url = "", ""
    return entries


def fan_points(fan: User) -> FanPoints:
    """Everything the profile shows: points, level, points per product, medals, the ledger's
    most recent rows."""
    points = site_points([fan.pk]).get(fan.pk, 0)
    per_product = [
        (total.product, total.points)
        for total in Total.objects.filter(fan=fan, product__isnull=False)
        .select_related("product")
        .order_by("-points", "product__name")
        if total.product is not None
    ]
    recent = _without_hidden_titles(
        list(Entry.objects.filter(fan=fan).select_related("product")[:RECENT_ENTRIES])
    )
    return FanPoints(
        fan=fan,
        points=points,
        level=level_for(points),
        per_product=per_product,
        medals=medals_of([fan.pk]).get(fan.pk, []),
        recent=recent,
    )


@dataclass(frozen=True)
class Place:
    rank: int
    fan: User
    points: int
    level: Level


def week_bounds(product: Product, now: datetime) -> tuple[datetime, datetime]:
    """This week of the product, Monday 00:00 to the next Monday 00:00, product time."""
    monday = week_start(now, product.time_zone)
    return (
        local_midnight(monday, product.time_zone),
        local_midnight(monday + timedelta(days=7), product.time_zone),
    )


def leaderboard(product: Product, *, period: str, now: datetime) -> list[Place]:
    """The product's top fans by points: all time (the kept totals, an index read) or this
    week (the week's ledger rows, summed). Ties: the fan who joined first."""
    if period == "week":
        start, end = week_bounds(product, now)
        rows = list(
            Entry.objects.filter(product=product, created_at__gte=start, created_at__lt=end)
            .values("fan_id")
            .annotate(n=Sum("points"))
            .filter(n__gt=0)
            .order_by("-n", "fan_id")
            .values_list("fan_id", "n")[:LEADERBOARD_SIZE]
        )
    else:
        rows = list(
            Total.objects.filter(product=product, points__gt=0)
            .order_by("-points", "fan_id")
            .values_list("fan_id", "points")[:LEADERBOARD_SIZE]
        )
    fans = User.objects.in_bulk([fan_id for fan_id, _ in rows])
    levels_by = site_points(list(fans))
    return [
        Place(rank, fans[fan_id], points, level_for(levels_by.get(fan_id, 0)))
        for rank, (fan_id, points) in enumerate(rows, start=1)
        if fan_id in fans
    ]


@dataclass(frozen=True)
class Rule:
    reason: str
    description: str
    points: int


def point_rules() -> list[Rule]:
    """Every reason with its points as configured, earning first."""
    rules = [Rule(reason, str(text), points_for(reason)) for reason, text in REASONS.items()]
    return sorted(rules, key=lambda rule: -rule.points)


def vote_milestones() -> list[int]:
    return sorted(settings.VOTE_MILESTONES)
