from datetime import date
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema

from orangefriday.accounts.api import ANYONE
from orangefriday.accounts.models import User
from orangefriday.board.models import Product
from orangefriday.board.permissions import is_engineer_of

from .queries import product_insights

router = Router(tags=["insights"])


class PointOut(Schema):
    label: str = Field(description="A week's Monday (ISO date) or a build's version")
    value: float | None = Field(description="null: nothing to measure")


class SeriesOut(Schema):
    key: str
    title: str
    unit: str
    axis: str = Field(description='"week" or "build"')
    engineers_only: bool
    points: list[PointOut]


class TeamLeadTimeOut(Schema):
    team: str
    shipped: int
    median_lead_days: float | None


class InsightsOut(Schema):
    product: str
    weeks: list[date] = Field(description="The Mondays shown, oldest first")
    median_lead_days: float | None = Field(description="From post to the build that shipped it")
    shipped: int
    series: list[SeriesOut] = Field(description="The page's charts; engineers get two more")
    teams: list[TeamLeadTimeOut] = Field(description="Lead time per team (for the engineers)")


@router.get(
    "/products/{slug}/insights",
    response=InsightsOut,
    auth=ANYONE,
    summary="A product's insights: the insights page's figures (engineers see more)",
)
def get_insights(request: HttpRequest, slug: str) -> dict[str, Any]:
    product = get_object_or_404(Product, slug=slug)
    engineer = isinstance(request.user, User) and is_engineer_of(request.user, product)
    found = product_insights(product, now=timezone.now(), engineer=engineer)
    return {
        "product": product.slug,
        "weeks": found.weeks,
        "median_lead_days": found.median_lead_days,
        "shipped": found.shipped,
        "series": [
            {
                "key": s.key,
                "title": s.title,
                "unit": s.unit,
                "axis": s.axis,
                "engineers_only": s.engineers_only,
                "points": [{"label": label, "value": value} for label, value in s.rows],
            }
            for s in found.series
        ],
        "teams": [
            {"team": t.team, "shipped": t.shipped, "median_lead_days": t.median_days}
            for t in found.teams
        ],
    }
