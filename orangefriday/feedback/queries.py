"""Reads of build feedback: the window, a build's results, the builds list's figures, awards."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Avg, Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from orangefriday.board.models import Post, Product, Status
from orangefriday.core.calendar import feedback_closes
from orangefriday.releases.models import Build, Channel
from orangefriday.releases.notes import escape_markdown

from .models import STABILITY_MAX, STABILITY_MIN, Award, Mood, Rating, Report

# How many builds the results page compares (this one and those before it).
TREND_SIZE = 6
WANTED_SIZE = 5
# How many open posts the report form offers as "most wanted" (the top voted).
WANTED_CHOICES = 40


def window_closes(build: Build) -> datetime | None:
    """When fans stop filing reports on `build`: the Tuesday 24:00 after it was published
    (product time); None for a build that takes no reports (a draft, internal, stable)."""
    if build.channel != Channel.DEVELOPER or build.published_at is None:
        return None
    return feedback_closes(build.published_at, build.product.time_zone)


def last_day(build: Build, closes: datetime) -> str:
    """ "Tue 1 Dec": the day whose 24:00 closes the window, on the product's calendar."""
    tuesday = closes.astimezone(ZoneInfo(build.product.time_zone)).date() - timedelta(days=1)
    return f"{tuesday:%a} {tuesday.day} {tuesday:%b}"


def closed_message(build: Build, closes: datetime) -> str:
    return (
        f"The feedback window for {build.version} closed on {last_day(build, closes)} at "
        f"24:00 ({build.product.time_zone}); reports can no longer be filed or changed."
    )


def wanted_candidates(product: Product) -> QuerySet[Post]:
    """The posts a fan may name as the feature they want most: the product's open posts (not
    the pinned announcements, not merged duplicates), most voted first."""
    return Post.objects.filter(
        product=product, status=Status.OPEN, merged_into__isnull=True, pinned=False
    ).order_by("-votes_count", "-created_at")


@dataclass(frozen=True)
class Bar:
    """One bar of a results chart: what, how many, and where to read more."""

    label: str
    count: int
    url: str | None = None
    key: str = ""


@dataclass(frozen=True)
class Summary:
    """A build's figures on the builds list and in the comparison."""

    reports: int = 0
    ratings: int = 0
    average: float | None = None


@dataclass(frozen=True)
class Results:
    build: Build
    closes: datetime | None
    summary: Summary
    moods: list[Bar]
    loved: list[Bar]
    least_effective: list[Bar]
    wanted: list[Bar]
    stability: list[int]  # how many fans rated 1, 2, ... 10
    trend: list[tuple[Build, Summary]]  # oldest first, this build last
    award: Award | None

    @property
    def last_day(self) -> str:
        return last_day(self.build, self.closes) if self.closes else ""

    @property
    def stability_labels(self) -> list[str]:
        return [str(n) for n in range(STABILITY_MIN, STABILITY_MAX + 1)]


def summaries(builds: Iterable[Build]) -> dict[int, Summary]:
    """Reports, ratings and the average stability of many builds, in one query."""
    ids = [build.pk for build in builds]
    if not ids:
        return {}

    def count(model: type[Report] | type[Rating]) -> Coalesce:
        per_build = (
            model.objects.filter(build=OuterRef("pk"))
            .order_by()
            .values("build")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(per_build, output_field=IntegerField()), 0)

    average = (
        Rating.objects.filter(build=OuterRef("pk"))
        .order_by()
        .values("build")
        .annotate(a=Avg("stability"))
        .values("a")
    )
    rows = (
        Build.objects.filter(pk__in=ids)
        .values_list("pk")
        .annotate(n_reports=count(Report), n_ratings=count(Rating), average=Subquery(average))
    )
    # PostgreSQL averages integers as a Decimal, SQLite as a float.
    return {
        pk: Summary(reports, ratings, None if average is None else float(average))
        for pk, reports, ratings, average in rows
    }


def votes_per_change(build: Build, field: str) -> dict[int, int]:
    """How many of the build's reports named each change as `field` ("loved" or
    "least_effective"), by change id."""
    return dict(
        Report.objects.filter(build=build).order_by().values_list(field).annotate(n=Count("pk"))
    )


def _ranked_changes(build: Build, field: str) -> list[Bar]:
    counts = votes_per_change(build, field)
    changes = build.changes.order_by("position", "pk")
    ranked = sorted(changes, key=lambda c: -counts.get(c.pk, 0))  # stable: notes order on ties
    return [
        Bar(
            label=change.text,
            count=counts.get(change.pk, 0),
            url=reverse("board:post", args=[change.post_id]) if change.post_id else None,
            key=str(change.pk),
        )
        for change in ranked
    ]


def build_results(build: Build) -> Results:
    """Everything the results page and `GET /builds/{id}/feedback` show about a build."""
    reports = Report.objects.filter(build=build).order_by()
    moods = dict(reports.values_list("mood").annotate(n=Count("pk")))
    wanted = (
        reports.values_list("wanted", "wanted__title")
        .annotate(n=Count("pk"))
        .order_by("-n", "wanted")[:WANTED_SIZE]
    )
    stability = dict(
        Rating.objects.filter(build=build)
        .order_by()
        .values_list("stability")
        .annotate(n=Count("pk"))
    )
    trend_builds = list(
        Build.objects.published()
        .filter(
            product=build.product_id,
            channel=build.channel,
            version_date__lte=build.version_date,
        )
        .filter(Q(version_date__lt=build.version_date) | Q(pk__lte=build.pk))
        .select_related("product")
        .order_by("-version_date", "-pk")[:TREND_SIZE]
    )
    if build not in trend_builds:  # a draft, seen by its engineers
        trend_builds = [build, *trend_builds[: TREND_SIZE - 1]]
    figures = summaries(trend_builds)
    return Results(
        build=build,
        closes=window_closes(build),
        summary=figures.get(build.pk, Summary()),
        moods=[
            Bar(label=label, count=moods.get(value, 0), key=value) for value, label in Mood.choices
        ],
        loved=_ranked_changes(build, "loved"),
        least_effective=_ranked_changes(build, "least_effective"),
        wanted=[
            Bar(label=title, count=n, url=reverse("board:post", args=[pk]), key=str(pk))
            for pk, title, n in wanted
        ],
        stability=[stability.get(n, 0) for n in range(STABILITY_MIN, STABILITY_MAX + 1)],
        trend=[(b, figures.get(b.pk, Summary())) for b in reversed(trend_builds)],
        award=Award.objects.filter(build=build).select_related("team__product", "post").first(),
    )


def awards() -> QuerySet[Award]:
    return Award.objects.select_related("build__product", "change", "post", "team__product")


def award_line(award: Award) -> str:
    """The award as one Markdown paragraph, for the next week's announcement."""
    build = award.build
    change = escape_markdown(award.change.text)
    if award.post_id is not None:
        change = f"[{change}]({reverse('board:post', args=[award.post_id])})"
    team = ""
    if award.team is not None:
        team = (
            f" goes to team [{escape_markdown(award.team.name)}]({award.team.get_absolute_url()})"
        )
    week = f"week {build.week_number} " if build.week_number else ""
    return (
        f"🍿 **The Popcorn Award** of {week}({escape_markdown(build.version)}){team} for "
        f"{change}: the change {award.loved_count} of {award.reports_count} fans loved most "
        f"([results]({reverse('feedback:results', args=[build.pk])}))."
    )
