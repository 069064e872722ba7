"""The beta-tester programme of a product: the entry quiz, places taken first come first
served (exactly, however many pass at once), weekly duties checked when a week ends
(Sunday 24:00 product time), deductions, removal and lock-outs, and a tester's standing.

Every rule is a setting or a field of the programme and is shown on its page; a tester sees
their own standing (what is done and missing this week, deductions and why, the lock-out).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from orangefriday.accounts.limits import check_fan_write
from orangefriday.accounts.models import User
from orangefriday.board.models import Kind, Post, Product
from orangefriday.board.permissions import is_engineer_of
from orangefriday.core.calendar import local_midnight, week_start
from orangefriday.core.errors import Conflict
from orangefriday.core.events import record
from orangefriday.voting.models import Vote

from .models import (
    Attempt,
    Choice,
    Deduction,
    DutyWeek,
    Entry,
    Programme,
    Question,
    Tester,
    TesterStatus,
)
from .rules import DEDUCTION_REASONS


class QuizRefused(Conflict):
    """No attempt now: already a tester, locked out, out of attempts today, or closed."""


def programme_of(product: Product) -> Programme | None:
    return Programme.objects.filter(product=product).first()


def active_tester(programme: Programme, fan: object) -> Tester | None:
    if not isinstance(fan, User) or not fan.is_authenticated:
        return None
    return Tester.objects.filter(programme=programme, fan=fan, status=TesterStatus.ACTIVE).first()


def is_tester(fan: User, product: Product) -> bool:
    """An active tester of the product (releases' internal audience)."""
    return Tester.objects.filter(
        programme__product=product, fan=fan, status=TesterStatus.ACTIVE
    ).exists()


def places_taken(programme: Programme) -> int:
    return Tester.objects.filter(programme=programme, status=TesterStatus.ACTIVE).count()


def lockout_until(programme: Programme, fan: User, now: datetime) -> datetime | None:
    """The end of the fan's lock-out from applying again, if one lasts beyond `now`."""
    return (
        Tester.objects.filter(programme=programme, fan=fan, locked_until__gt=now)
        .order_by("-locked_until")
        .values_list("locked_until", flat=True)
        .first()
    )


def _day_bounds(product: Product, now: datetime) -> tuple[datetime, datetime]:
    today = timezone.localdate(now, timezone=_zone(product))
    return local_midnight(today, product.time_zone), local_midnight(
        today + timedelta(days=1), product.time_zone
    )


def _zone(product: Product) -> ZoneInfo:
    return ZoneInfo(product.time_zone)


def attempts_today(programme: Programme, fan: User, now: datetime) -> int:
    start, end = _day_bounds(programme.product, now)
    return Attempt.objects.filter(
        programme=programme, fan=fan, created_at__gte=start, created_at__lt=end
    ).count()


def _when(moment: datetime, product: Product) -> str:
    """A moment as the tester reads it: the product's date and time, and its zone."""
    local = timezone.localtime(moment, _zone(product))
    return f"{date_format(local, 'Y-m-d H:i')} ({product.time_zone})"


def refusal(programme: Programme, fan: User, now: datetime) -> str | None:
    """Why the fan may not take the quiz now, in words; None if they may."""
    product = programme.product
    if active_tester(programme, fan) is not None:
        return _("You are already a tester of %(product)s.") % {"product": product.local_name}
    locked = lockout_until(programme, fan, now)
    if locked is not None:
        return _("You may apply again from %(when)s.") % {"when": _when(locked, product)}
    if not programme.is_open or not programme.questions.exists():
        return _("The %(product)s programme takes no applications now.") % {
            "product": product.local_name
        }
    if attempts_today(programme, fan, now) >= settings.TESTER_QUIZ_ATTEMPTS_PER_DAY:
        tomorrow = _day_bounds(product, now)[1]
        return _("No attempts left today; try again from %(when)s.") % {
            "when": _when(tomorrow, product)
        }
    return None


def score(programme: Programme, answers: dict[int, int]) -> int:
    """The percentage of the quiz's questions answered right. Every question needs one of
    its own choices (ValidationError on the field `answers` otherwise)."""
    questions = list(programme.questions.prefetch_related("choices"))
    right = 0
    for question in questions:
        choices = {choice.pk: choice for choice in question.choices.all()}
        picked = answers.get(question.pk)
        if picked not in choices:
            raise ValidationError(
                {
                    "answers": _("Answer every question: “%(q)s” has no answer.")
                    % {"q": question.text}
                }
            )
        right += choices[picked].correct
    return round(100 * right / len(questions)) if questions else 0


@dataclass(frozen=True)
class Outcome:
    attempt: Attempt
    tester: Tester | None
    full: bool  # passed, but every place was taken


def take_quiz(*, fan: User, product: Product, answers: dict[int, int]) -> Outcome:
    """Answer the product's entry quiz. A fan who passes becomes a tester while a place is
    free; the programme's row is locked while places and attempts are counted, so however
    many fans pass at once there are never more testers than places. Refused (QuizRefused)
    for a tester, a fan locked out, or one out of attempts today."""
    programme = Programme.objects.select_related("product").filter(product=product).first()
    if programme is None:
        raise QuizRefused(
            _("%(product)s has no tester programme.") % {"product": product.local_name}
        )
    check_fan_write(fan=fan, action="tester", what=_("tester programme requests"))
    result = score(programme, answers)
    with transaction.atomic():
        locked = (
            Programme.objects.select_for_update().select_related("product").get(pk=programme.pk)
        )
        now = timezone.now()
        why = refusal(locked, fan, now)
        if why is not None:
            raise QuizRefused(why)
        passed = result >= locked.pass_mark
        attempt = Attempt.objects.create(
            programme=locked, fan=fan, score=result, passed=passed, created_at=now
        )
        tester = None
        if passed and places_taken(locked) < locked.places:
            tester = Tester.objects.create(programme=locked, fan=fan, joined_at=now)
            record("tester.joined", subject=tester, actor=fan, product_id=product.pk)
    return Outcome(attempt, tester, full=passed and tester is None)


def leave(*, fan: User, product: Product) -> Tester:
    """A tester leaves of their own will, and may apply again after TESTER_LEFT_LOCKOUT_DAYS."""
    check_fan_write(fan=fan, action="tester", what=_("tester programme requests"))
    with transaction.atomic():
        tester = (
            Tester.objects.select_for_update()
            .filter(programme__product=product, fan=fan, status=TesterStatus.ACTIVE)
            .first()
        )
        if tester is None:
            raise QuizRefused(
                _("You are not a tester of %(product)s.") % {"product": product.local_name}
            )
        now = timezone.now()
        _end(
            tester,
            status=TesterStatus.LEFT,
            now=now,
            days=settings.TESTER_LEFT_LOCKOUT_DAYS,
            reason=_("You left the programme."),
        )
    return tester


def _end(
    tester: Tester,
    *,
    status: str,
    now: datetime,
    days: int,
    reason: str,
    since: datetime | None = None,
) -> None:
    """End a membership (locked by the caller) with its lock-out of `days` from `since`
    (by default now), and record it."""
    tester.status = status
    tester.ended_at = now
    tester.locked_until = (since or now) + timedelta(days=days)
    tester.end_reason = reason[:300]
    tester.end_reason_language = get_language() or settings.LANGUAGE_CODE
    tester.save(
        update_fields=["status", "ended_at", "locked_until", "end_reason", "end_reason_language"]
    )
    product_id = Programme.objects.filter(pk=tester.programme_id).values_list(
        "product_id", flat=True
    )[0]
    record(
        f"tester.{status}",
        subject=tester,
        product_id=product_id,
        fan_id=tester.fan_id,
        reason=tester.end_reason,
        locked_until=tester.locked_until.isoformat(),
    )


def remove(tester: Tester, *, now: datetime, reason: str, since: datetime | None = None) -> None:
    """Remove a tester (locked by the caller) with the TESTER_REMOVED_LOCKOUT_DAYS lock-out,
    counted from `since` (a missed week's end, whenever the check ran) or now."""
    _end(
        tester,
        status=TesterStatus.REMOVED,
        now=now,
        days=settings.TESTER_REMOVED_LOCKOUT_DAYS,
        reason=reason,
        since=since,
    )


# The week's duties.


def week_end(monday: date, time_zone: str) -> datetime:
    """Sunday 24:00 of the week that starts on `monday`, product time."""
    return local_midnight(monday + timedelta(days=7), time_zone)


def first_due_week(tester: Tester, time_zone: str) -> date:
    """The Monday of the tester's first week with duties: the week they joined, unless it
    ends less than TESTER_FIRST_WEEK_MIN_DAYS later (then the next one)."""
    monday = week_start(tester.joined_at, time_zone)
    if week_end(monday, time_zone) - tester.joined_at < timedelta(
        days=settings.TESTER_FIRST_WEEK_MIN_DAYS
    ):
        monday += timedelta(days=7)
    return monday


@dataclass(frozen=True)
class Done:
    bug_reports: int  # bug reports with a log file
    suggestions: int  # ideas
    votes_received: int
    featured: int
    adopted: int

    def met(self) -> bool:
        return (
            self.bug_reports >= settings.TESTER_BUGS_PER_WEEK
            and self.suggestions >= settings.TESTER_SUGGESTIONS_PER_WEEK
        )


def done_in(tester: Tester, product: Product, monday: date) -> Done:
    """What the tester filed on the product in the week starting `monday`, and the extra
    credit it earned (votes received, featured posts, ideas adopted that week)."""
    start = local_midnight(monday, product.time_zone)
    end = week_end(monday, product.time_zone)
    posts = Post.objects.filter(
        product=product, author_id=tester.fan_id, created_at__gte=start, created_at__lt=end
    )
    mine = Post.objects.filter(product=product, author_id=tester.fan_id)
    in_week = {"created_at__gte": start, "created_at__lt": end}
    return Done(
        bug_reports=posts.filter(kind=Kind.BUG).exclude(log="").count(),
        suggestions=posts.filter(kind=Kind.IDEA).count(),
        votes_received=Vote.objects.filter(post__in=mine, **in_week).count(),
        # Posts featured in the week and featured still (unfeaturing takes it back).
        featured=mine.filter(featured_at__gte=start, featured_at__lt=end).count(),
        adopted=Entry.objects.filter(
            fan_id=tester.fan_id, product=product, reason="idea_shipped", **in_week
        ).count(),
    )


def check_duties(*, now: datetime) -> int:
    """Check every week that ended (Sunday 24:00 product time) for every active tester, once
    (a DutyWeek row per tester and week); a tester who missed one is removed. Idempotent:
    the scheduler runs it each minute, and two schedulers at once do no harm. Returns how
    many testers were removed."""
    removed = 0
    for programme in Programme.objects.select_related("product"):
        product = programme.product
        last_ended = week_start(now, product.time_zone) - timedelta(days=7)
        for tester_id in Tester.objects.filter(
            programme=programme, status=TesterStatus.ACTIVE
        ).values_list("pk", flat=True):
            removed += _check_tester(tester_id, product, last_ended, now)
    return removed


def _check_tester(tester_id: int, product: Product, last_ended: date, now: datetime) -> int:
    with transaction.atomic():
        tester = (
            Tester.objects.select_for_update()
            .filter(pk=tester_id, status=TesterStatus.ACTIVE)
            .first()
        )
        if tester is None:
            return 0
        monday = first_due_week(tester, product.time_zone)
        checked = set(tester.weeks.values_list("week_start", flat=True))
        while monday <= last_ended:
            if monday not in checked:
                done = done_in(tester, product, monday)
                met = done.met()
                DutyWeek.objects.create(
                    tester=tester,
                    week_start=monday,
                    bug_reports=done.bug_reports,
                    suggestions=done.suggestions,
                    met=met,
                    checked_at=now,
                )
                if not met:
                    remove(
                        tester,
                        now=now,
                        reason=missed_reason(monday, done),
                        since=week_end(monday, product.time_zone),
                    )
                    return 1
            monday += timedelta(days=7)
    return 0


def missed_reason(monday: date, done: Done) -> str:
    missing = []
    if done.bug_reports < settings.TESTER_BUGS_PER_WEEK:
        missing.append(
            _("no bug report with a log file")
            if done.bug_reports == 0
            else _("too few bug reports with a log file")
        )
    if done.suggestions < settings.TESTER_SUGGESTIONS_PER_WEEK:
        missing.append(_("no suggestion") if done.suggestions == 0 else _("too few suggestions"))
    sunday = monday + timedelta(days=6)
    return _("Missed the week of %(monday)s to %(sunday)s: %(missing)s.") % {
        "monday": date_format(monday, "M j"),
        "sunday": date_format(sunday, "M j"),
        "missing": ", ".join(missing),
    }


# Deductions.


def deduct(
    *, fan_id: int, product_id: int | None, reason: str, key: str, url: str, now: datetime
) -> None:
    """Take the published points off the standing of the fan's active memberships (of one
    product, or all of them for a site-wide sanction), once per key; a tester whose
    deductions reach TESTER_REMOVAL_DEDUCTIONS is removed. Call inside a transaction."""
    memberships = Tester.objects.select_for_update().filter(
        fan_id=fan_id, status=TesterStatus.ACTIVE
    )
    if product_id is not None:
        memberships = memberships.filter(programme__product_id=product_id)
    points = settings.TESTER_DEDUCTIONS[reason]
    for tester in memberships:
        _row, created = Deduction.objects.get_or_create(
            tester=tester,
            key=key,
            defaults={"points": points, "reason": reason, "url": url, "created_at": now},
        )
        if created and total_deducted(tester) >= settings.TESTER_REMOVAL_DEDUCTIONS:
            remove(
                tester,
                now=now,
                reason=_("Deductions reached %(n)s points.")
                % {"n": settings.TESTER_REMOVAL_DEDUCTIONS},
            )


def withdraw_deduction(*, fan_id: int, product_id: int, key: str) -> None:
    """A moderator's decision undone (a hidden post restored): its deduction no longer
    counts against the fan's active membership, and hidden again it is taken again. A
    removal it already caused stands: the fan may apply again after the lock-out."""
    Deduction.objects.filter(
        tester__fan_id=fan_id,
        tester__programme__product_id=product_id,
        tester__status=TesterStatus.ACTIVE,
        key=key,
    ).delete()


def total_deducted(tester: Tester) -> int:
    return tester.deductions.aggregate(n=Sum("points"))["n"] or 0


# Standing.


@dataclass
class Standing:
    """What "my standing" shows a fan about one product's programme."""

    programme: Programme
    tester: Tester | None
    last: Tester | None  # the latest ended membership, if any
    locked_until: datetime | None
    refusal: str | None
    attempts_left: int
    week_start: date | None = None
    week_end: datetime | None = None
    first_due: date | None = None
    done: Done | None = None
    missing: list[str] = field(default_factory=list)
    deductions: list[Deduction] = field(default_factory=list)
    deducted: int = 0
    weeks: list[DutyWeek] = field(default_factory=list)


def standing(programme: Programme, fan: User, now: datetime) -> Standing:
    product = programme.product
    tester = active_tester(programme, fan)
    last = (
        Tester.objects.filter(programme=programme, fan=fan)
        .exclude(status=TesterStatus.ACTIVE)
        .order_by("-ended_at", "-pk")
        .first()
    )
    found = Standing(
        programme=programme,
        tester=tester,
        last=last,
        locked_until=lockout_until(programme, fan, now),
        refusal=refusal(programme, fan, now),
        attempts_left=max(
            0, settings.TESTER_QUIZ_ATTEMPTS_PER_DAY - attempts_today(programme, fan, now)
        ),
    )
    shown = tester or last
    if shown is not None:
        found.deductions = list(shown.deductions.all())
        found.deducted = sum(d.points for d in found.deductions)
        found.weeks = list(shown.weeks.all()[:12])
    if tester is not None:
        monday = week_start(now, product.time_zone)
        found.week_start = monday
        found.week_end = week_end(monday, product.time_zone)
        found.first_due = first_due_week(tester, product.time_zone)
        found.done = done_in(tester, product, monday)
        if found.done.bug_reports < settings.TESTER_BUGS_PER_WEEK:
            found.missing.append(_("a bug report with a log file"))
        if found.done.suggestions < settings.TESTER_SUGGESTIONS_PER_WEEK:
            found.missing.append(_("a suggestion (an idea)"))
    return found


def testers_of(programme: Programme):
    return (
        Tester.objects.filter(programme=programme, status=TesterStatus.ACTIVE)
        .select_related("fan")
        .order_by("joined_at", "pk")
    )


@dataclass(frozen=True)
class QuestionDraft:
    text: str
    choices: list[tuple[str, bool]]  # (text, correct)


def can_run(user: object, product: Product) -> bool:
    """Who sets up a product's programme and writes its quiz (and so sees the right
    answers): its engineers, and admins."""
    return isinstance(user, User) and user.is_authenticated and is_engineer_of(user, product)


def question_problem(draft: QuestionDraft) -> str | None:
    """What is wrong with a question of the quiz, in words; None if it may be asked."""
    if not draft.text.strip():
        return _("A question needs words.")
    if len(draft.choices) < 2:
        return _("A question needs two or more choices.")
    if not any(correct for _text, correct in draft.choices):
        return _("Mark at least one choice as right.")
    return None


def write_programme(
    *,
    by: User,
    product: Product,
    places: int,
    pass_mark: int,
    is_open: bool = True,
    intro: str = "",
    questions: list[QuestionDraft] | None = None,
) -> Programme:
    """An engineer of the product sets up its programme: places (no fewer than its testers),
    pass mark (percent) and, when given, a new quiz replacing the old one, all or nothing
    (each question with two or more choices, one or more of them right: a fan who picks
    any right one answers it right)."""
    if not can_run(by, product):
        raise PermissionDenied(
            _("Only engineers of %(product)s run its tester programme.")
            % {"product": product.local_name}
        )
    if not 1 <= pass_mark <= 100:
        raise ValidationError({"pass_mark": _("A pass mark is a percentage, 1 to 100.")})
    for number, draft in enumerate(questions or [], start=1):
        problem = question_problem(draft)
        if problem is not None:
            raise ValidationError(
                {"questions": _("Question %(n)s: %(problem)s") % {"n": number, "problem": problem}}
            )
    check_fan_write(fan=by, action="tester", what=_("tester programme requests"))
    with transaction.atomic():
        programme, _created = Programme.objects.select_for_update().get_or_create(product=product)
        # Counted under the programme's lock, which joining takes too.
        taken = places_taken(programme)
        if places < taken:
            raise ValidationError(
                {
                    "places": ngettext(
                        "%(n)s fan is a tester now: keep at least %(n)s place.",
                        "%(n)s fans are testers now: keep at least %(n)s places.",
                        taken,
                    )
                    % {"n": taken}
                }
            )
        programme.places, programme.pass_mark = places, pass_mark
        programme.is_open, programme.intro = is_open, intro
        programme.save()
        if questions is not None:
            programme.questions.all().delete()
            for position, draft in enumerate(questions):
                question = Question.objects.create(
                    programme=programme, text=draft.text.strip(), position=position
                )
                Choice.objects.bulk_create(
                    Choice(question=question, text=text, correct=correct)
                    for text, correct in draft.choices
                )
    return programme


def published_rules(programme: Programme) -> dict[str, object]:
    """Every rule of the programme and its value, for its pages and the API."""
    return {
        "places": programme.places,
        "taken": places_taken(programme),
        "pass_mark": programme.pass_mark,
        "attempts_per_day": settings.TESTER_QUIZ_ATTEMPTS_PER_DAY,
        "bugs_per_week": settings.TESTER_BUGS_PER_WEEK,
        "suggestions_per_week": settings.TESTER_SUGGESTIONS_PER_WEEK,
        "first_week_days": settings.TESTER_FIRST_WEEK_MIN_DAYS,
        "removed_days": settings.TESTER_REMOVED_LOCKOUT_DAYS,
        "left_days": settings.TESTER_LEFT_LOCKOUT_DAYS,
        "deductions": {reason: settings.TESTER_DEDUCTIONS[reason] for reason in DEDUCTION_REASONS},
        "removal_at": settings.TESTER_REMOVAL_DEDUCTIONS,
    }
