"""Every write of build feedback: four-grid reports, stability ratings, the Popcorn Award,
and voters' answers to "did this solve it?".

Invalid input raises django ValidationError keyed by field; a closed feedback window raises
Conflict (valid input that the build's week refuses: 409 in the API).
"""

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from orangefriday.accounts.limits import check_fan_write
from orangefriday.accounts.models import User
from orangefriday.board.actions import change_status, create_post
from orangefriday.board.models import Kind, Post, Status, StatusChange
from orangefriday.core.errors import Conflict
from orangefriday.core.events import record
from orangefriday.core.text import visible_line, visible_text
from orangefriday.planning.actions import release_claim
from orangefriday.planning.models import Claim
from orangefriday.releases.installations import declare_running
from orangefriday.releases.models import Build, Change, Channel
from orangefriday.releases.publishing import INTRO_MAX_LENGTH, edit_notes
from orangefriday.voting.models import Vote

from .models import (
    COMMENT_MAX_LENGTH,
    STABILITY_MAX,
    STABILITY_MIN,
    Answer,
    Award,
    Mood,
    Rating,
    Report,
)
from .queries import (
    answer_figures,
    award_line,
    closed_message,
    shipping_builds,
    votes_per_change,
    wanted_candidates,
    window_closes,
)
from .solved import Figures, answering_closes, should_reopen

logger = logging.getLogger(__name__)

RATED_CHANNELS = (Channel.DEVELOPER, Channel.STABLE)


def _locked_build(build: Build) -> Build:
    # Reports and the award lock the build's row: a report that passed the window check
    # commits before the award counts the votes.
    return Build.objects.select_for_update().select_related("product").get(pk=build.pk)


def _check_open(build: Build, now: datetime) -> None:
    closes = window_closes(build)
    if closes is None:
        raise ValidationError(
            {"build": "Four-grid reports are filed on published developer builds."}
        )
    if now >= closes:
        raise Conflict({"build": closed_message(build, closes)})


def _changes(build: Build, loved: int | None, least_effective: int | None) -> tuple[Change, Change]:
    found = Change.objects.in_bulk([pk for pk in (loved, least_effective) if pk is not None])
    errors = {}
    for field, pk in (("loved", loved), ("least_effective", least_effective)):
        change = found.get(pk) if pk is not None else None
        if change is None or change.build_id != build.pk:
            errors[field] = f"Choose one of the changes of {build.version}."
    if not errors and loved == least_effective:
        errors["least_effective"] = "The least effective change must differ from the most loved."
    if errors:
        raise ValidationError(errors)
    return found[loved], found[least_effective]  # type: ignore[index]


def _wanted(fan: User, build: Build, post_id: int | None, text: str) -> Post:
    text = visible_line(text, field="wanted_text")
    if post_id is not None and text:
        raise ValidationError(
            {"wanted_text": gettext("Choose an open post or write a new idea, not both.")}
        )
    if post_id is not None:
        post = wanted_candidates(build.product).filter(pk=post_id).first()
        if post is None:
            raise ValidationError(
                {
                    "wanted_post": gettext("Choose an open post of %(build_product)s.")
                    % {"build_product": build.product.local_name}
                }
            )
        return post
    if not text:
        raise ValidationError(
            {"wanted_post": "Choose the feature you want most, or write it as a new idea."}
        )
    # The fan's words become an idea on the board, where others can vote for it; sending
    # the same words again (a re-sent report) names the idea they already became.
    earlier = Post.objects.filter(
        author=fan, product=build.product, kind=Kind.IDEA, title=text
    ).first()
    if earlier is not None:
        return earlier
    return create_post(author=fan, product=build.product, kind=Kind.IDEA, title=text)


def file_report(
    *,
    fan: User,
    build: Build,
    mood: str,
    loved: int | None,
    least_effective: int | None,
    wanted_post: int | None = None,
    wanted_text: str = "",
) -> Report:
    """File (or change) `fan`'s four-grid report on a developer build while its feedback
    window is open: a mood, the most loved and the least effective of the build's changes
    (two different ones), and the most wanted feature: an open post of the product
    (`wanted_post`) or new words (`wanted_text`) that become an idea post. After the window
    closes nothing is stored and Conflict says so."""
    if mood not in Mood.values:
        raise ValidationError(
            {"mood": gettext("Choose one of %(choices)s.") % {"choices": ", ".join(Mood.values)}}
        )
    check_fan_write(fan=fan, action="report")
    with transaction.atomic():
        locked = _locked_build(build)
        now = timezone.now()
        _check_open(locked, now)
        loved_change, least_change = _changes(locked, loved, least_effective)
        wanted = _wanted(fan, locked, wanted_post, wanted_text)
        answers = {
            "mood": mood,
            "loved": loved_change,
            "least_effective": least_change,
            "wanted": wanted,
            "updated_at": now,
        }
        report, created = Report.objects.update_or_create(
            fan=fan, build=locked, defaults=answers, create_defaults={**answers, "created_at": now}
        )
        record(
            "report.filed",
            subject=report,
            actor=fan,
            build_id=locked.pk,
            changed=not created,
            mood=mood,
            loved=loved_change.pk,
            least_effective=least_change.pk,
            wanted_post=wanted.pk,
        )
    return report


def rate_build(*, fan: User, build: Build, stability: int) -> Rating:
    """Rate the stability of a published developer or stable build, 1 to 10 (a second
    rating replaces the first). Rating a build records that the fan runs it."""
    if not STABILITY_MIN <= stability <= STABILITY_MAX:
        raise ValidationError(
            {"stability": f"Rate from {STABILITY_MIN} (unusable) to {STABILITY_MAX} (rock solid)."}
        )
    if build.channel not in RATED_CHANNELS:
        raise ValidationError({"build": gettext("Fans rate developer and stable builds.")})
    check_fan_write(fan=fan, action="report")
    now = timezone.now()
    with transaction.atomic():
        declare_running(fan=fan, build=build)
        answer = {"stability": stability, "updated_at": now}
        rating, created = Rating.objects.update_or_create(
            fan=fan, build=build, defaults=answer, create_defaults={**answer, "created_at": now}
        )
        record(
            "rating.given",
            subject=rating,
            actor=fan,
            build_id=build.pk,
            changed=not created,
            stability=stability,
        )
    return rating


def _winner(build: Build) -> tuple[Change, int, int, int] | None:
    """The change with the most "most loved" votes; ties go to fewer "least effective"
    votes, then to the change whose post shipped first."""
    loved = votes_per_change(build, "loved")
    if not loved:
        return None
    least = votes_per_change(build, "least_effective")
    total = sum(loved.values())  # every report names exactly one most loved change
    changes = Change.objects.filter(pk__in=loved).select_related("post")

    def key(change: Change) -> tuple:
        shipped = change.post.shipped_at if change.post and change.post.shipped_at else None
        return (-loved[change.pk], least.get(change.pk, 0), shipped or build.cut_at, change.pk)

    best = min(changes, key=key)
    return best, loved[best.pk], least.get(best.pk, 0), total


def give_popcorn_award(*, build: Build) -> Award | None:
    """Give the Popcorn Award of a developer build whose feedback window has closed, to the
    team that claimed the most loved change's post. Idempotent: the award of a build is
    given once (the build's row lock and the unique build back this when workers race).
    None while the window is open or when no fan filed a report."""
    with transaction.atomic():
        locked = _locked_build(build)
        closes = window_closes(locked)
        if closes is None or timezone.now() < closes:
            return None
        existing = Award.objects.filter(build=locked).first()
        if existing is not None:
            return existing
        won = _winner(locked)
        if won is None:
            return None
        change, loved_count, least_count, total = won
        claim = getattr(change.post, "claim", None) if change.post else None
        try:
            with transaction.atomic():
                award = Award.objects.create(
                    build=locked,
                    change=change,
                    post=change.post,
                    team=claim.team if claim else None,
                    loved_count=loved_count,
                    least_effective_count=least_count,
                    reports_count=total,
                )
                record(
                    "award.given",
                    subject=award,
                    build_id=locked.pk,
                    change_id=change.pk,
                    post_id=change.post_id,
                    team_id=award.team_id,
                    loved_count=loved_count,
                    reports_count=total,
                )
        except IntegrityError:
            return Award.objects.get(build=locked)
    logger.info("Popcorn Award for %s %s: %s", locked.product.slug, locked.version, change.text)
    return award


def announce_award(*, award: Award) -> Build | None:
    """Put the award at the top of the notes of the product's next published developer
    build, so its pinned "Week N release announcement" carries it (and keeps it when the
    notes are edited). Once per award; None while the next build is not out."""
    with transaction.atomic():
        locked = Award.objects.select_for_update().select_related("build__product").get(pk=award.pk)
        if locked.announced_in_id is not None:
            return locked.announced_in
        following = (
            Build.objects.developer()
            .published()
            .filter(product=locked.build.product, version_date__gt=locked.build.version_date)
            .order_by("version_date")
            .first()
        )
        if following is None:
            return None
        intro = f"{award_line(locked)}\n\n{following.notes_intro}".strip()
        if len(intro) <= INTRO_MAX_LENGTH:
            # None is the system itself (releases.permissions), as for the Friday cut.
            edit_notes(by=None, build=following, intro=intro)
        else:
            logger.warning("No room for the Popcorn Award in %s's notes", following.version)
        locked.announced_in = following
        locked.save(update_fields=["announced_in"])
    return following


def give_due_awards() -> list[Award]:
    """The worker's job: award every developer build whose window has closed and announce
    every award whose next build is out. Builds with reports and no award are few (only
    this week's), so this reads little however long the history."""
    given = []
    waiting = (
        Build.objects.developer()
        .published()
        .filter(reports__isnull=False, popcorn_award__isnull=True)
        .select_related("product")
        .distinct()
    )
    for build in waiting:
        try:
            award = give_popcorn_award(build=build)
        except Exception:  # one product's failure must not stop the others' award
            logger.exception("The Popcorn Award failed for build %s", build.pk)
            continue
        if award is not None:
            given.append(award)
    for award in Award.objects.filter(announced_in__isnull=True):
        try:
            announce_award(award=award)
        except Exception:
            logger.exception("Announcing Popcorn Award %s failed", award.pk)
    return given


def _closed_answers(build: Build, closes: datetime) -> str:
    local = closes.astimezone(ZoneInfo(build.product.time_zone))
    return gettext("Answers about %(version)s closed on %(day)s at %(time)s (%(zone)s).") % {
        "version": build.version,
        "day": f"{local:%a} {local.day} {local:%b}",
        "time": f"{local:%H:%M}",
        "zone": build.product.time_zone,
    }


def answer_solved(
    *, fan: User, post: Post, build: Build, solved: bool, comment: str = "", limited: bool = True
) -> Answer:
    """Say whether `build` solved `post` for `fan`, one of the post's voters: yes or no,
    with an optional comment. A second answer replaces the first until SOLVED_ANSWER_DAYS
    after the build was published (then Conflict, and nothing is stored). The fan's limit
    for answers applies unless `limited` is False (the demo community). Records
    `solution.answered`; its consumer reopens a post too many voters say is not solved."""
    comment = visible_text(comment, field="comment")
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {
                "comment": gettext("A comment has at most %(n)s characters.")
                % {"n": COMMENT_MAX_LENGTH}
            }
        )
    if (
        build.channel != Channel.DEVELOPER
        or build.published_at is None
        or not Change.objects.filter(build=build, post=post).exists()
    ):
        raise ValidationError({"build": gettext("That build did not ship this post.")})
    if not Vote.objects.filter(fan=fan, post=post).exists():
        raise PermissionDenied(gettext("Only the post's voters are asked whether it was solved."))
    now = timezone.now()
    closes = answering_closes(build.published_at)
    if now >= closes:
        raise Conflict({"solved": _closed_answers(build, closes)})
    if limited:  # False only for the demo community's history
        check_fan_write(fan=fan, action="answer", what=gettext("answers"))
    said = {"solved": solved, "comment": comment, "updated_at": now}
    try:
        with transaction.atomic():
            answer, created = Answer.objects.update_or_create(
                fan=fan,
                post=post,
                build=build,
                defaults=said,
                create_defaults={**said, "created_at": now},
            )
            _record_answer(answer, changed=not created)
    except IntegrityError:
        # The same fan's other answer was created at the same moment (two tabs, a double
        # click): this one replaces it.
        with transaction.atomic():
            answer = Answer.objects.select_for_update().get(fan=fan, post=post, build=build)
            for name, value in said.items():
                setattr(answer, name, value)
            answer.save(update_fields=list(said))
            _record_answer(answer, changed=True)
    return answer


def _record_answer(answer: Answer, *, changed: bool) -> None:
    record(
        "solution.answered",
        subject=answer,
        actor=answer.fan,
        post_id=answer.post_id,
        build_id=answer.build_id,
        fan_id=answer.fan_id,
        solved=answer.solved,
        changed=changed,
    )


def reopen_unsolved(*, post_id: int, build_id: int) -> StatusChange | None:
    """Put a shipped post back to `open`, with a system note naming the build, when too
    many of the voters who answered say that build did not solve it (solved.should_reopen).
    Only while the post stands shipped by that build (not once it was reopened, or shipped
    again in a later one); its claim is released. Records `post.reopened`; its consumer
    tells the engineers who shipped it."""
    with transaction.atomic():
        post = Post.objects.select_for_update().select_related("product").get(pk=post_id)
        build = shipping_builds([post.pk]).get(post.pk)
        if post.status != Status.SHIPPED or build is None or build.pk != build_id:
            return None
        figures = answer_figures([(post.pk, build.pk)]).get((post.pk, build.pk), Figures())
        if not should_reopen(answered=figures.answered, unsolved=figures.unsolved):
            return None
        note = gettext(
            "Reopened: %(unsolved)s of the %(answered)s voters who answered said that "
            "%(product)s %(version)s did not solve it."
        ) % {
            "unsolved": figures.unsolved,
            "answered": figures.answered,
            "product": post.product.local_name,
            "version": build.version,
        }
        claim = Claim.objects.filter(post=post).first()
        change = change_status(by=None, post=post, status=Status.OPEN, note=note)
        if claim is not None:
            # Back on the open board: a post has one claim, so any team may claim it again,
            # and it no longer holds a slot of the team that shipped it (who are told).
            release_claim(by=None, claim=claim)
        record(
            "post.reopened",
            subject=post,
            build_id=build.pk,
            version=build.version,
            answered=figures.answered,
            unsolved=figures.unsolved,
            change_id=change.pk,
            team_id=claim.team_id if claim is not None else None,
        )
    logger.info("Post %s reopened: %s of %s said no", post.pk, figures.unsolved, figures.answered)
    return change
