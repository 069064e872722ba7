from datetime import datetime
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext
from ninja import Field, Router, Schema

from orangefriday.accounts.api import ANYONE, SIGNED_IN, idempotent
from orangefriday.accounts.models import fan_of
from orangefriday.board.api import shown_post_or_404
from orangefriday.board.models import Post, Product
from orangefriday.core.api import Id, InputSchema
from orangefriday.planning.models import Team
from orangefriday.releases.models import Build
from orangefriday.releases.queries import visible_build_or_404

from . import actions
from .models import COMMENT_MAX_LENGTH, STABILITY_MAX, STABILITY_MIN, Award, Rating, Report
from .queries import (
    Bar,
    answer_figures,
    awards,
    build_results,
    shipping_builds,
    window_closes,
)
from .solved import Figures, answering_closes

router = Router(tags=["feedback"])


class ReportIn(InputSchema):
    mood: Literal["happy", "sad", "love_it", "looking_forward"]
    loved: Id | None = Field(None, description="The id of the change you loved most")
    least_effective: Id | None = Field(None, description="The id of the least effective change")
    wanted_post: Id | None = Field(None, description="An open post of the product you want most")
    wanted_text: str = Field("", description="Or a new idea, posted on the board for you")


class ReportOut(Schema):
    build_id: Id
    mood: str
    loved: int
    least_effective: int
    wanted_post: int
    created_at: datetime
    updated_at: datetime
    window_closes: datetime | None


class RatingIn(InputSchema):
    stability: int = Field(
        ge=STABILITY_MIN, le=STABILITY_MAX, description="1 (unusable) to 10 (rock solid)"
    )


class RatingOut(Schema):
    build_id: Id
    stability: int
    updated_at: datetime


class BarOut(Schema):
    label: str
    count: int
    id: str = Field(description="The mood, change id or post id the count is for")


class TrendOut(Schema):
    build_id: Id
    version: str
    reports: int
    ratings: int
    average_stability: float | None


class AwardOut(Schema):
    build_id: Id
    product: str
    version: str
    week_number: int | None
    change_id: Id
    change: str
    post_id: Id | None
    team_id: Id | None
    team: str | None
    loved_count: int
    least_effective_count: int
    reports_count: int
    awarded_at: datetime
    results_url: str


class SolvedPostOut(Schema):
    post_id: Id
    change_id: Id
    answered: int
    solved: int
    solved_share: float | None


class FeedbackOut(Schema):
    build_id: Id
    version: str
    window_closes: datetime | None
    reports: int
    ratings: int
    average_stability: float | None
    moods: list[BarOut]
    loved: list[BarOut]
    least_effective: list[BarOut]
    wanted: list[BarOut]
    stability: list[int] = Field(description="How many fans rated 1, 2, ... 10")
    trend: list[TrendOut] = Field(description="This build and the few before it, oldest first")
    award: AwardOut | None
    solved: list[SolvedPostOut] = Field(description="Did it solve it? Each shipped post's answers")
    solved_answered: int = Field(description="Answers about all of the build's posts")
    solved_share: float | None = Field(description="Of them, the share that said solved")


def _bars(bars: list[Bar]) -> list[dict[str, Any]]:
    return [{"label": bar.label, "count": bar.count, "id": bar.key} for bar in bars]


def award_out(award: Award) -> dict[str, Any]:
    build = award.build
    return {
        "build_id": build.pk,
        "product": build.product.slug,
        "version": build.version,
        "week_number": build.week_number,
        "change_id": award.change_id,
        "change": award.change.text,
        "post_id": award.post_id,
        "team_id": award.team_id,
        "team": award.team.name if award.team else None,
        "loved_count": award.loved_count,
        "least_effective_count": award.least_effective_count,
        "reports_count": award.reports_count,
        "awarded_at": award.awarded_at,
        "results_url": settings.SITE_URL + reverse("feedback:results", args=[build.pk]),
    }


def report_out(report: Report) -> dict[str, Any]:
    return {
        "build_id": report.build_id,
        "mood": report.mood,
        "loved": report.loved_id,
        "least_effective": report.least_effective_id,
        "wanted_post": report.wanted_id,
        "created_at": report.created_at,
        "updated_at": report.updated_at,
        "window_closes": window_closes(report.build),
    }


@router.put(
    "/builds/{build_id}/report",
    response=ReportOut,
    auth=SIGNED_IN,
    summary="File or change your four-grid report (until Tuesday 24:00; 409 after)",
)
@idempotent
def put_report(request: HttpRequest, build_id: Id, payload: ReportIn) -> dict[str, Any]:
    build = visible_build_or_404(request.user, build_id)
    report = actions.file_report(fan=fan_of(request), build=build, **payload.dict())
    return report_out(report)


@router.put(
    "/builds/{build_id}/rating",
    response=RatingOut,
    auth=SIGNED_IN,
    summary="Rate a developer or stable build's stability 1-10 (says you run it)",
)
def put_rating(request: HttpRequest, build_id: Id, payload: RatingIn) -> dict[str, Any]:
    build = visible_build_or_404(request.user, build_id)
    rating: Rating = actions.rate_build(
        fan=fan_of(request), build=build, stability=payload.stability
    )
    return {"build_id": build.pk, "stability": rating.stability, "updated_at": rating.updated_at}


@router.get(
    "/builds/{build_id}/feedback",
    response=FeedbackOut,
    auth=ANYONE,
    summary="A build's results: reports, moods, changes ranked, stability, the award",
)
def get_feedback(request: HttpRequest, build_id: Id) -> dict[str, Any]:
    found = build_results(visible_build_or_404(request.user, build_id))
    return {
        "build_id": found.build.pk,
        "version": found.build.version,
        "window_closes": found.closes,
        "reports": found.summary.reports,
        "ratings": found.summary.ratings,
        "average_stability": found.summary.average,
        "moods": _bars(found.moods),
        "loved": _bars(found.loved),
        "least_effective": _bars(found.least_effective),
        "wanted": _bars(found.wanted),
        "stability": found.stability,
        "trend": [
            {
                "build_id": build.pk,
                "version": build.version,
                "reports": summary.reports,
                "ratings": summary.ratings,
                "average_stability": summary.average,
            }
            for build, summary in found.trend
        ],
        "award": award_out(found.award) if found.award else None,
        "solved": [
            {
                "post_id": change.post_id,
                "change_id": change.pk,
                "answered": figures.answered,
                "solved": figures.solved,
                "solved_share": figures.share,
            }
            for change, figures in found.solved
        ],
        "solved_answered": found.solved_total.answered,
        "solved_share": found.solved_total.share,
    }


@router.get(
    "/products/{slug}/awards",
    response=list[AwardOut],
    auth=ANYONE,
    summary="A product's Popcorn Awards, newest first",
)
def product_awards(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    product = get_object_or_404(Product, slug=slug)
    return [award_out(a) for a in awards().filter(build__product=product)]


@router.get(
    "/teams/{team_id}/awards",
    response=list[AwardOut],
    auth=ANYONE,
    summary="A team's Popcorn Awards, newest first",
)
def team_awards(request: HttpRequest, team_id: Id) -> list[dict[str, Any]]:
    team = get_object_or_404(Team, pk=team_id)
    return [award_out(a) for a in awards().filter(team=team)]


class AnswerIn(InputSchema):
    solved: bool = Field(description="true: the build solved it for you; false: it did not")
    comment: str = Field("", max_length=COMMENT_MAX_LENGTH, description="Optional")
    build_id: Id | None = Field(
        None, description="The build asked about; by default the latest that shipped the post"
    )


class AnswerOut(Schema):
    post_id: Id
    build_id: Id
    version: str
    solved: bool
    comment: str
    created_at: datetime
    updated_at: datetime
    closes: datetime = Field(description="Until when the answer may be changed")


class SolvedBuildOut(Schema):
    build_id: Id
    version: str
    answered: int = Field(description="How many voters answered")
    solved: int = Field(description="How many of them said it is solved")
    solved_share: float | None = Field(description="solved / answered; null without answers")
    closes: datetime = Field(description="Until when voters answer")


class SolvedOut(Schema):
    post_id: Id
    builds: list[SolvedBuildOut] = Field(
        description="Each build that shipped the post, oldest first"
    )


def _shipping_build(request: HttpRequest, post: Post, build_id: int | None) -> Build:
    if build_id is not None:
        return visible_build_or_404(request.user, build_id)
    build = shipping_builds([post.pk]).get(post.pk)
    if build is None:
        raise ValidationError(
            {"build_id": gettext("This post has not shipped in a published build.")}
        )
    return build


@router.put(
    "/posts/{post_id}/solved",
    response=AnswerOut,
    auth=SIGNED_IN,
    summary="Say whether the build that shipped a post you voted for solved it (changeable "
    "for two weeks; 409 after)",
)
@idempotent
def put_solved(request: HttpRequest, post_id: Id, payload: AnswerIn) -> dict[str, Any]:
    post = shown_post_or_404(request, post_id)
    build = _shipping_build(request, post, payload.build_id)
    answer = actions.answer_solved(
        fan=fan_of(request), post=post, build=build, solved=payload.solved, comment=payload.comment
    )
    assert build.published_at is not None  # the action refuses unpublished builds
    return {
        "post_id": post.pk,
        "build_id": build.pk,
        "version": build.version,
        "solved": answer.solved,
        "comment": answer.comment,
        "created_at": answer.created_at,
        "updated_at": answer.updated_at,
        "closes": answering_closes(build.published_at),
    }


@router.get(
    "/posts/{post_id}/solved",
    response=SolvedOut,
    auth=ANYONE,
    summary="Did it solve it? The voters' answers about each build that shipped a post",
)
def get_solved(request: HttpRequest, post_id: Id) -> dict[str, Any]:
    # The answers about a post are as private as the post.
    post = shown_post_or_404(request, post_id)
    builds = list(
        Build.objects.developer()
        .published()
        .filter(changes__post=post)
        .order_by("published_at", "pk")
        .distinct()
    )
    figures = answer_figures((post.pk, build.pk) for build in builds)
    shown = []
    for build in builds:
        assert build.published_at is not None
        found = figures.get((post.pk, build.pk), Figures())
        shown.append(
            {
                "build_id": build.pk,
                "version": build.version,
                "answered": found.answered,
                "solved": found.solved,
                "solved_share": found.share,
                "closes": answering_closes(build.published_at),
            }
        )
    return {"post_id": post.pk, "builds": shown}
