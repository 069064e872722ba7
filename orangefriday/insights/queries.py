"""What the insights page and `GET /api/v1/products/{slug}/insights` show: weekly series read
from the precomputed rows (refresh.py), and what the few hundred shipped changes, builds
and answers give at once (cheap at any board size: they grow with builds, not votes)."""

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from django.conf import settings
from django.utils import dateformat
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from orangefriday.accounts.models import Role
from orangefriday.board.models import Product
from orangefriday.core.calendar import local_midnight, week_start
from orangefriday.feedback.queries import build_answer_figures, summaries
from orangefriday.releases.models import Build, Change

from .figures import days_between, median_days, mondays
from .models import WeekFigures


@dataclass(frozen=True)
class Series:
    """One chart: a value per label (a week's Monday or a build's version), and its CSV."""

    key: str
    title: str
    unit: str  # what the values count, the CSV's column
    axis: str  # "week" (labels are Mondays, ISO dates) or "build" (versions)
    labels: list[str]
    values: list[float | None]
    engineers_only: bool = False

    @property
    def rows(self) -> list[tuple[str, float | None]]:
        return list(zip(self.labels, self.values, strict=True))

    @property
    def short_rows(self) -> list[tuple[str, float | None]]:
        """As the chart labels them: "23 Nov" for a week."""
        if self.axis != "week":
            return self.rows
        return [(week_label(date.fromisoformat(label)), value) for label, value in self.rows]


@dataclass(frozen=True)
class TeamLeadTime:
    team: str
    shipped: int
    median_days: float | None


@dataclass(frozen=True)
class Insights:
    product: Product
    weeks: list[date]
    series: list[Series]
    median_lead_days: float | None  # over every post shipped in the weeks shown
    shipped: int
    teams: list[TeamLeadTime] = field(default_factory=list)  # engineers only

    def chart(self, key: str) -> Series | None:
        return next((s for s in self.series if s.key == key), None)


def week_label(monday: date) -> str:
    """ "30 Nov", "11月30日": the week's Monday in the page's language."""
    # Translators: a date format (Django's `date` filter): "30 Nov"; 中文 "n月j日".
    return dateformat.format(monday, pgettext("a week's Monday on a chart", "j M"))


def _shipped(product: Product, since: datetime) -> list[tuple[datetime, datetime, str, str]]:
    """(post created, build published, author's role, claiming team) of every post shipped
    in the product's published developer builds since `since`."""
    rows = Change.objects.filter(
        build__product=product,
        build__channel="developer",
        build__published_at__gte=since,
        post__isnull=False,
    ).values_list(
        "post__created_at", "build__published_at", "post__author__role", "post__claim__team__name"
    )
    return [
        (created, published, role, team or "")
        for created, published, role, team in rows
        if published is not None  # always: the filter asks for published builds
    ]


def product_insights(product: Product, *, now: datetime, engineer: bool) -> Insights:
    """The product's insights over the last INSIGHTS_WEEKS weeks; the engineers' part (lead
    time per team, the first page's posts with few readers) only when `engineer`."""
    zone = product.time_zone
    weeks = mondays(now, zone, settings.INSIGHTS_WEEKS)
    began = local_midnight(weeks[0], zone)
    stored = {
        row.week: row for row in WeekFigures.objects.filter(product=product, week__gte=weeks[0])
    }

    def weekly(attribute: str) -> list[float | None]:
        return [getattr(stored[m], attribute) if m in stored else None for m in weeks]

    adopted: dict[date, int] = defaultdict(int)
    lead: dict[date, list[float]] = defaultdict(list)
    per_team: dict[str, list[float]] = defaultdict(list)
    for created, published, role, team in _shipped(product, began):
        monday = week_start(published, zone)
        days = days_between(created, published)
        lead[monday].append(days)
        if role == Role.FAN:
            adopted[monday] += 1
        if team:
            per_team[team].append(days)

    builds = list(
        Build.objects.developer()
        .published()
        .filter(product=product, published_at__gte=began)
        .order_by("published_at", "pk")
    )
    answers = build_answer_figures(build.pk for build in builds)
    stability = summaries(builds)
    versions = [build.version for build in builds]

    def week_series(key: str, title: str, unit: str, values: list[float | None]) -> Series:
        return Series(key, title, unit, "week", [m.isoformat() for m in weeks], values)

    def build_series(key: str, title: str, unit: str, values: list[float | None]) -> Series:
        return Series(key, title, unit, "build", versions, values)

    series = [
        week_series("fans", _("Fans who joined"), _("fans"), weekly("fans_joined")),
        week_series("posts", _("Posts"), _("posts"), weekly("posts")),
        week_series("votes", _("Votes"), _("votes"), weekly("votes")),
        week_series(
            "adopted",
            _("Ideas adopted (fans' posts shipped)"),
            _("posts"),
            [adopted.get(m, 0) for m in weeks],
        ),
        week_series(
            "lead-time",
            _("Median lead time, post to ship"),
            _("days"),
            [median_days(lead.get(m, [])) for m in weeks],
        ),
        build_series(
            "solved",
            _("Solved, per build"),
            _("percent solved"),
            [answers[b.pk].percent if b.pk in answers else None for b in builds],
        ),
        build_series(
            "stability",
            _("Average stability, per build"),
            _("of 10"),
            [stability[b.pk].average if b.pk in stability else None for b in builds],
        ),
    ]
    teams: list[TeamLeadTime] = []
    if engineer:
        few = weekly("first_page_few_readers")
        series.append(
            replace(
                week_series(
                    "few-readers",
                    _("First page: posts with few readers"),
                    _("percent of the first page"),
                    [None if v is None else round(100 * v) for v in few],
                ),
                engineers_only=True,
            )
        )
        teams = [
            TeamLeadTime(name, len(days), median_days(days))
            for name, days in sorted(per_team.items())
        ]
    all_days = [days for days_list in lead.values() for days in days_list]
    return Insights(product, weeks, series, median_days(all_days), len(all_days), teams)
