"""Reads of build feedback: the window, a build's results, the builds list's figures, awards."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Avg, Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import dateformat
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from orangefriday.accounts.models import User
from orangefriday.board.models import Post, Product, Status
from orangefriday.core.calendar import feedback_closes, next_cut
from orangefriday.releases.models import Build, Change, Channel
from orangefriday.releases.notes import escape_markdown
from orangefriday.voting.models import Vote

from .models import STABILITY_MAX, STABILITY_MIN, Answer, Award, Mood, Rating, Report
from .solved import Asked, Figures, answer_token, answering_closes

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


def day_name(day: date) -> str:
    """ "Tue 1 Dec", "12月1日 星期二": a day in the page's language."""
    # Translators: a date format (Django's `date` filter): "Tue 1 Dec"; 中文 "n月j日 D".
    return dateformat.format(day, pgettext("day of the week's rhythm", "D j M"))


def last_day(build: Build, closes: datetime) -> str:
    """The day whose 24:00 closes the window, on the product's calendar."""
    tuesday = closes.astimezone(ZoneInfo(build.product.time_zone)).date() - timedelta(days=1)
    return day_name(tuesday)


def next_window(product: Product, now: datetime) -> tuple[str, str]:
    """When the next four-grid window opens, the next developer build's cut, as the day and
    the time on the product's calendar (the week's rhythm is the product's)."""
    holidays = {holiday.date for holiday in product.holidays.all()}
    opens = next_cut(now, product.time_zone, holidays).astimezone(ZoneInfo(product.time_zone))
    return day_name(opens.date()), f"{opens:%H:%M}"


def closed_message(build: Build, closes: datetime) -> str:
    return _(
        "The feedback window for %(version)s closed on %(day)s at 24:00 (%(zone)s); reports "
        "can no longer be filed or changed."
    ) % {"version": build.version, "day": last_day(build, closes), "zone": build.product.time_zone}


def wanted_candidates(product: Product) -> QuerySet[Post]:
    """The posts a fan may name as the feature they want most: the product's open posts (not
    the pinned announcements, not merged duplicates), most voted first."""
    return (
        Post.objects.visible()
        .filter(product=product, status=Status.OPEN, pinned=False)
        .order_by("-votes_count", "-created_at")
    )


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
    # "Did this solve it?": each shipped post's answers, in the notes' order, and all of them.
    solved: list[tuple[Change, Figures]]
    solved_total: Figures

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
    shipped = [
        (change, change.post_id)
        for change in build.changes.order_by("position", "pk")
        if change.post_id is not None
    ]
    answers = answer_figures((post_id, build.pk) for _, post_id in shipped)
    solved = [(change, answers.get((post_id, build.pk), Figures())) for change, post_id in shipped]
    return Results(
        build=build,
        closes=window_closes(build),
        summary=figures.get(build.pk, Summary()),
        moods=[
            Bar(label=str(label), count=moods.get(value, 0), key=value)
            for value, label in Mood.choices
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
        solved=solved,
        solved_total=build_answer_figures([build.pk]).get(build.pk, Figures()),
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


# "Did this solve it?" (solved.py): who is asked, and the answers' figures.


def shipping_builds(post_ids: Iterable[int]) -> dict[int, Build]:
    """The latest published developer build that shipped each post (the one its voters
    are asked about), by post id; one query."""
    ids = list(post_ids)
    if not ids:
        return {}
    latest: dict[int, Build] = {}
    rows = (
        Change.objects.filter(
            post_id__in=ids, build__channel=Channel.DEVELOPER, build__published_at__isnull=False
        )
        .select_related("build__product")
        .order_by("build__published_at", "build_id")
    )
    for change in rows:
        assert change.post_id is not None
        latest[change.post_id] = change.build  # later builds come later and win
    return latest


def answer_figures(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], Figures]:
    """The answers about each (post id, build id), in one query (the answers' unique
    index starts with the post)."""
    pairs = set(pairs)
    if not pairs:
        return {}
    rows = (
        Answer.objects.filter(
            post_id__in={post for post, _ in pairs}, build_id__in={build for _, build in pairs}
        )
        .order_by()
        .values_list("post_id", "build_id")
        .annotate(n=Count("pk"), yes=Count("pk", filter=Q(solved=True)))
    )
    return {
        (post, build): Figures(n, yes) for post, build, n, yes in rows if (post, build) in pairs
    }


def build_answer_figures(build_ids: Iterable[int]) -> dict[int, Figures]:
    """The answers about every post of each build, by build id, in one query."""
    rows = (
        Answer.objects.filter(build_id__in=list(build_ids))
        .order_by()
        .values_list("build_id")
        .annotate(n=Count("pk"), yes=Count("pk", filter=Q(solved=True)))
    )
    return {build: Figures(n, yes) for build, n, yes in rows}


@dataclass(frozen=True)
class Question:
    """What a voter is asked about a post shipped in a build, and what they said so far."""

    fan_id: int
    post: Post
    build: Build
    closes: datetime
    answer: Answer | None

    @property
    def token(self) -> str:
        """The signed link's token (the page's answer form posts to it, like the email)."""
        return answer_token(Asked(self.fan_id, self.post.pk, self.build.pk))


def questions(fan: User, posts: Sequence[Post], *, now: datetime) -> dict[int, Question]:
    """The question each of these posts asks `fan` now, by post id: posts shipped in a
    published developer build, voted for by the fan, while the build's answers are open.
    Three queries for any number of posts."""
    voted = set(
        Vote.objects.filter(fan=fan, post_id__in=[post.pk for post in posts]).values_list(
            "post_id", flat=True
        )
    )
    builds = shipping_builds(voted)
    open_builds = {
        post_id: build
        for post_id, build in builds.items()
        if build.published_at is not None and now < answering_closes(build.published_at)
    }
    answers = {
        (answer.post_id, answer.build_id): answer
        for answer in Answer.objects.filter(fan=fan, post_id__in=list(open_builds))
    }
    found = {}
    for post in posts:
        build = open_builds.get(post.pk)
        if build is None:
            continue
        assert build.published_at is not None
        found[post.pk] = Question(
            fan_id=fan.pk,
            post=post,
            build=build,
            closes=answering_closes(build.published_at),
            answer=answers.get((post.pk, build.pk)),
        )
    return found


def asked_question(asked: Asked) -> Question | None:
    """The question a signed link asks (answered or not, open or closed); None when its
    fan, post or build is gone, or the build never shipped the post."""
    fan = User.objects.filter(pk=asked.fan_id, is_active=True).first()
    change = (
        Change.objects.filter(
            post_id=asked.post_id,
            build_id=asked.build_id,
            build__channel=Channel.DEVELOPER,
            build__published_at__isnull=False,
        )
        .select_related("post", "build__product")
        .first()
    )
    if fan is None or change is None or change.post is None:
        return None
    assert change.build.published_at is not None
    return Question(
        fan_id=fan.pk,
        post=change.post,
        build=change.build,
        closes=answering_closes(change.build.published_at),
        answer=Answer.objects.filter(fan=fan, post=change.post, build=change.build).first(),
    )
