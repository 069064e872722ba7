"""Reputation's API: points, levels, medals, leaderboards, the honour roll, and the tester
programme (its rules and quiz, applying, standing, leaving, testers), with the rules of the
pages (the same actions and queries)."""

from datetime import date, datetime
from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from orangefriday.accounts.api import ANYONE, SIGNED_IN, idempotent
from orangefriday.accounts.models import User, fan_of
from orangefriday.board.models import Product
from orangefriday.core.api import Id, InputSchema
from orangefriday.releases.queries import visible_build_or_404

from . import testers
from .honour import choose_founding_fan, first_testers_of, founding_fans
from .models import Programme
from .queries import fan_points, leaderboard, point_rules, vote_milestones
from .rules import MEDALS, levels

router = Router(tags=["reputation"])


class LevelOut(Schema):
    number: int
    name: str
    starts_at: int
    next_at: int | None


class MedalOut(Schema):
    code: str
    name: str
    reason: str
    count: int
    awarded_at: datetime | None = None


class RuleOut(Schema):
    reason: str
    description: str
    points: int


class RulesOut(Schema):
    points: list[RuleOut]
    vote_milestones: list[int]
    levels: list[LevelOut]
    medals: list[MedalOut]


def _level(level: Any) -> dict[str, Any]:
    return {
        "number": level.number,
        "name": level.name,
        "starts_at": level.starts_at,
        "next_at": level.next_at,
    }


def _medal(rule: Any, awarded_at: datetime | None = None) -> dict[str, Any]:
    return {
        "code": rule.code,
        "name": str(rule.name),
        "reason": rule.reason,
        "count": rule.count,
        "awarded_at": awarded_at,
    }


@router.get("/reputation/rules", response=RulesOut, auth=ANYONE, summary="How points work")
def rules(request: HttpRequest) -> dict[str, Any]:
    return {
        "points": [vars(rule) for rule in point_rules()],
        "vote_milestones": vote_milestones(),
        "levels": [_level(level) for level in levels()],
        "medals": [_medal(medal) for medal in MEDALS],
    }


class EntryOut(Schema):
    points: int
    reason: str
    product: str | None
    note: str
    url: str
    created_at: datetime


class ProductPointsOut(Schema):
    product: str
    points: int


class FanPointsOut(Schema):
    username: str
    points: int
    level: LevelOut
    products: list[ProductPointsOut]
    medals: list[MedalOut]
    recent: list[EntryOut] = Field(description="The ledger's latest rows, newest first")


@router.get(
    "/fans/{username}/reputation",
    response=FanPointsOut,
    auth=ANYONE,
    summary="A fan's points, level, medals and latest ledger rows",
)
def fan_reputation(request: HttpRequest, username: str) -> dict[str, Any]:
    found = fan_points(get_object_or_404(User, username=username, is_active=True))
    return {
        "username": found.fan.username,
        "points": found.points,
        "level": _level(found.level),
        "products": [{"product": p.slug, "points": n} for p, n in found.per_product],
        "medals": [_medal(earned.medal, earned.awarded_at) for earned in found.medals],
        "recent": [
            {
                "points": entry.points,
                "reason": entry.reason,
                "product": entry.product.slug if entry.product else None,
                "note": entry.note,
                "url": entry.url,
                "created_at": entry.created_at,
            }
            for entry in found.recent
        ],
    }


class PlaceOut(Schema):
    rank: int
    username: str
    points: int
    level: LevelOut


@router.get(
    "/products/{slug}/leaderboard",
    response=list[PlaceOut],
    auth=ANYONE,
    summary="A product's top fans by points, this week (product time) or all time",
)
def product_leaderboard(
    request: HttpRequest, slug: str, period: Literal["week", "all"] = "week"
) -> list[dict[str, Any]]:
    product = get_object_or_404(Product, slug=slug)
    return [
        {
            "rank": place.rank,
            "username": place.fan.username,
            "points": place.points,
            "level": _level(place.level),
        }
        for place in leaderboard(product, period=period, now=timezone.now())
    ]


class HonourOut(Schema):
    username: str
    since: datetime
    chosen: bool = Field(description="Chosen by the product's engineers")


class ChooseIn(InputSchema):
    username: str = Field(min_length=1, max_length=150)


def _honour(row: Any) -> dict[str, Any]:
    return {
        "username": row.fan.username,
        "since": row.since,
        "chosen": row.chosen_by_id is not None,
    }


@router.get(
    "/products/{slug}/founding-fans",
    response=list[HonourOut],
    auth=ANYONE,
    summary="The product's founding fans (the honour roll), first first",
)
def get_founding_fans(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    return [_honour(row) for row in founding_fans(get_object_or_404(Product, slug=slug))]


@router.post(
    "/products/{slug}/founding-fans",
    response={201: HonourOut},
    auth=SIGNED_IN,
    summary="Engineers: add a fan to the product's founding fans",
)
def post_founding_fan(request: HttpRequest, slug: str, payload: ChooseIn) -> Status:
    product = get_object_or_404(Product, slug=slug)
    fan = get_object_or_404(User, username=payload.username, is_active=True)
    return Status(201, _honour(choose_founding_fan(by=fan_of(request), product=product, fan=fan)))


class FirstTesterOut(Schema):
    position: int
    username: str
    reported_at: datetime


@router.get(
    "/builds/{build_id}/first-testers",
    response=list[FirstTesterOut],
    auth=ANYONE,
    summary="A build's first testers: its first fans to file a four-grid report",
)
def build_first_testers(request: HttpRequest, build_id: Id) -> list[dict[str, Any]]:
    build = visible_build_or_404(request.user, build_id)
    return [
        {"position": row.position, "username": row.fan.username, "reported_at": row.reported_at}
        for row in first_testers_of([build])[build.pk]
    ]


# The tester programme.


class ChoiceOut(Schema):
    id: Id
    text: str


class QuestionOut(Schema):
    id: Id
    text: str
    choices: list[ChoiceOut]


class DeductionRuleOut(Schema):
    reason: str
    points: int


class ProgrammeOut(Schema):
    product: str
    places: int
    taken: int
    pass_mark: int = Field(description="Percent of right answers that passes")
    is_open: bool
    intro: str
    attempts_per_day: int
    bugs_per_week: int = Field(description="Bug reports with a log file, each week")
    suggestions_per_week: int
    week_ends: str = Field(description="When a week's duties end")
    removed_lockout_days: int
    left_lockout_days: int
    deductions: list[DeductionRuleOut]
    removal_at: int = Field(description="Deductions that remove a tester")
    questions: list[QuestionOut]
    testers: list[str]


def _programme_or_404(slug: str) -> Programme:
    programme = testers.programme_of(get_object_or_404(Product, slug=slug))
    if programme is None:
        raise Http404("No tester programme.")
    return programme


def programme_out(programme: Programme) -> dict[str, Any]:
    published = testers.published_rules(programme)
    deductions = published["deductions"]
    assert isinstance(deductions, dict)
    return {
        **published,
        "product": programme.product.slug,
        "is_open": programme.is_open,
        "intro": programme.intro,
        "week_ends": f"Sunday 24:00 {programme.product.time_zone}",
        "removed_lockout_days": published["removed_days"],
        "left_lockout_days": published["left_days"],
        "deductions": [{"reason": r, "points": n} for r, n in deductions.items()],
        "questions": [
            {
                "id": q.pk,
                "text": q.text,
                "choices": [{"id": c.pk, "text": c.text} for c in q.choices.all()],
            }
            for q in programme.questions.prefetch_related("choices")
        ],
        "testers": [tester.fan.username for tester in testers.testers_of(programme)],
    }


@router.get(
    "/products/{slug}/testers",
    response=ProgrammeOut,
    auth=ANYONE,
    summary="The product's beta-tester programme: rules, quiz, places, testers",
)
def get_programme(request: HttpRequest, slug: str) -> dict[str, Any]:
    return programme_out(_programme_or_404(slug))


class ChoiceIn(InputSchema):
    text: str = Field(min_length=1, max_length=200)
    correct: bool = False


class QuestionIn(InputSchema):
    text: str = Field(min_length=1, max_length=300)
    choices: list[ChoiceIn] = Field(min_length=2, max_length=10)


class ProgrammeIn(InputSchema):
    places: int = Field(ge=0, le=1_000_000)
    pass_mark: int = Field(ge=1, le=100)
    is_open: bool = True
    intro: str = Field("", max_length=2000)
    questions: list[QuestionIn] | None = Field(
        None, max_length=50, description="A new quiz replacing the old; leave out to keep it"
    )


@router.put(
    "/products/{slug}/testers",
    response=ProgrammeOut,
    auth=SIGNED_IN,
    summary="Engineers: set up the programme and write its quiz",
)
def put_programme(request: HttpRequest, slug: str, payload: ProgrammeIn) -> dict[str, Any]:
    product = get_object_or_404(Product, slug=slug)
    drafts = None
    if payload.questions is not None:
        drafts = [
            testers.QuestionDraft(q.text, [(c.text, c.correct) for c in q.choices])
            for q in payload.questions
        ]
    programme = testers.write_programme(
        by=fan_of(request),
        product=product,
        places=payload.places,
        pass_mark=payload.pass_mark,
        is_open=payload.is_open,
        intro=payload.intro,
        questions=drafts,
    )
    return programme_out(programme)


class AnswerIn(InputSchema):
    question: Id
    choice: Id


class AttemptIn(InputSchema):
    answers: list[AnswerIn] = Field(max_length=50)


class AttemptOut(Schema):
    score: int
    passed: bool
    tester: bool = Field(description="You became a tester")
    full: bool = Field(description="You passed but every place was taken")


@router.post(
    "/products/{slug}/testers/attempts",
    response={201: AttemptOut},
    auth=SIGNED_IN,
    summary="Answer the entry quiz; pass while a place is free and you are a tester",
)
@idempotent
def post_attempt(request: HttpRequest, slug: str, payload: AttemptIn) -> Status:
    programme = _programme_or_404(slug)
    outcome = testers.take_quiz(
        fan=fan_of(request),
        product=programme.product,
        answers={answer.question: answer.choice for answer in payload.answers},
    )
    return Status(
        201,
        {
            "score": outcome.attempt.score,
            "passed": outcome.attempt.passed,
            "tester": outcome.tester is not None,
            "full": outcome.full,
        },
    )


class DeductionOut(Schema):
    points: int
    reason: str
    url: str
    created_at: datetime


class WeekOut(Schema):
    week_start: date
    bug_reports: int
    suggestions: int
    met: bool


class StandingOut(Schema):
    status: Literal["tester", "removed", "left", "none"]
    joined_at: datetime | None
    ended_at: datetime | None
    end_reason: str
    locked_until: datetime | None = Field(description="You may apply again from then")
    can_apply: bool
    refusal: str | None
    attempts_left_today: int
    week_start: date | None
    week_ends_at: datetime | None
    first_due_week: date | None
    bug_reports: int | None
    suggestions: int | None
    votes_received: int | None
    featured: int | None
    adopted: int | None
    missing: list[str]
    deductions: list[DeductionOut]
    deducted: int
    weeks: list[WeekOut]


def standing_out(found: testers.Standing) -> dict[str, Any]:
    shown = found.tester or found.last
    status = "tester" if found.tester else (found.last.status if found.last else "none")
    done = found.done
    return {
        "status": status,
        "joined_at": shown.joined_at if shown else None,
        "ended_at": shown.ended_at if shown else None,
        "end_reason": shown.end_reason if shown else "",
        "locked_until": found.locked_until,
        "can_apply": found.refusal is None,
        "refusal": found.refusal,
        "attempts_left_today": found.attempts_left,
        "week_start": found.week_start,
        "week_ends_at": found.week_end,
        "first_due_week": found.first_due,
        "bug_reports": done.bug_reports if done else None,
        "suggestions": done.suggestions if done else None,
        "votes_received": done.votes_received if done else None,
        "featured": done.featured if done else None,
        "adopted": done.adopted if done else None,
        "missing": [str(m) for m in found.missing],
        "deductions": [
            {"points": d.points, "reason": d.reason, "url": d.url, "created_at": d.created_at}
            for d in found.deductions
        ],
        "deducted": found.deducted,
        "weeks": [
            {
                "week_start": w.week_start,
                "bug_reports": w.bug_reports,
                "suggestions": w.suggestions,
                "met": w.met,
            }
            for w in found.weeks
        ],
    }


@router.get(
    "/products/{slug}/testers/me",
    response=StandingOut,
    auth=SIGNED_IN,
    summary="My standing: this week's duties done and missing, deductions, lock-out",
)
def my_standing(request: HttpRequest, slug: str) -> dict[str, Any]:
    programme = _programme_or_404(slug)
    return standing_out(testers.standing(programme, fan_of(request), timezone.now()))


@router.post(
    "/products/{slug}/testers/me/leave",
    response=StandingOut,
    auth=SIGNED_IN,
    summary="Leave the programme (you may apply again after the published days)",
)
def leave_programme(request: HttpRequest, slug: str) -> dict[str, Any]:
    programme = _programme_or_404(slug)
    fan = fan_of(request)
    testers.leave(fan=fan, product=programme.product)
    return standing_out(testers.standing(programme, fan, timezone.now()))
