"""Reputation's pages: how points work, a product's leaderboards and its about page (the
founding fans). The tester programme's pages are in testers_views.py."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from orangefriday.board.models import Product

from .honour import founding_fans
from .queries import leaderboard, point_rules, vote_milestones, week_bounds
from .rules import GIVEN_BACK, MEDALS, levels

PERIODS = ("week", "all")


def points_rules(request: HttpRequest) -> HttpResponse:
    """Public: every setting's value (the "how points work" page)."""
    context = {
        "rules": point_rules(),
        "milestones": vote_milestones(),
        "levels": levels(),
        "medals": MEDALS,
        "given_back": [str(text) for text in GIVEN_BACK.values()],
    }
    return render(request, "reputation/points.html", context)


def leaderboard_page(request: HttpRequest, slug: str) -> HttpResponse:
    product = get_object_or_404(Product, slug=slug)
    period = request.GET.get("period", "week")
    if period not in PERIODS:
        period = "week"
    now = timezone.now()
    start, end = week_bounds(product, now)
    context = {
        "product": product,
        "period": period,
        "places": leaderboard(product, period=period, now=now),
        "week_start": start,
        "week_end": end,
    }
    return render(request, "reputation/leaderboard.html", context)


def about(request: HttpRequest, slug: str) -> HttpResponse:
    """The product's about page: its engineers and its founding fans (the honour roll)."""
    product = get_object_or_404(Product, slug=slug)
    context = {
        "product": product,
        "engineers": product.engineers.order_by("username"),
        "founding_fans": founding_fans(product),
    }
    return render(request, "reputation/about.html", context)
