"""The demo's build feedback: on every published weekly build, fans' four-grid reports and
stability ratings, filed between the Friday release and Tuesday 24:00 (the latest build's
window may still be open: fewer reports so far); then the Popcorn Award of each closed week,
given and announced in the next week's notes through the real actions; and the voters'
answers to "did this solve it?" on the posts of each product's latest build, one of which
too many say is not solved (it is open again).

Reports, ratings and the installations ratings imply are inserted in bulk: a few thousand
rows, so `make run` stays quick. Every choice comes from the loader's seeded `rng`.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings

from orangefriday.accounts.models import User
from orangefriday.board.models import Post
from orangefriday.demo.history import quiet
from orangefriday.feedback.actions import announce_award, answer_solved, give_popcorn_award
from orangefriday.feedback.models import (
    STABILITY_MAX,
    STABILITY_MIN,
    Answer,
    Award,
    Mood,
    Rating,
    Report,
)
from orangefriday.feedback.queries import wanted_candidates, window_closes
from orangefriday.feedback.solved import should_reopen
from orangefriday.releases.models import Build, Installation
from orangefriday.voting.models import Vote

# Share of the demo's fans who report on a closed week, and who rate it.
REPORTING = (0.3, 0.65)
RATING = (0.45, 0.85)
WANTED_FROM = 8  # the top open posts fans name as the feature they want most


@dataclass(frozen=True)
class Loaded:
    reports: int
    ratings: int
    awards: int


def _moment(rng: random.Random, start: datetime, end: datetime) -> datetime:
    # Most fans update and answer in the first day or two.
    return start + (end - start) * rng.random() ** 1.8


def _mood(rng: random.Random, quality: float) -> str:
    weights = [0.4, 0.08 + (8 - quality) * 0.06, 0.15 + (quality - 6) * 0.06, 0.25]
    moods = [Mood.HAPPY, Mood.SAD, Mood.LOVE_IT, Mood.LOOKING_FORWARD]
    return str(rng.choices(moods, weights=[max(w, 0.02) for w in weights])[0])


def _stability(rng: random.Random, quality: float) -> int:
    return min(STABILITY_MAX, max(STABILITY_MIN, round(rng.gauss(quality, 1.4))))


def _build_feedback(
    rng: random.Random, build: Build, fans: Sequence[User], wanted: list[Post], now: datetime
) -> tuple[list[Report], list[Rating]]:
    changes = list(build.changes.order_by("position", "pk"))
    assert build.published_at is not None
    closes = window_closes(build)
    assert closes is not None
    end = min(closes, now)
    # The share of the window gone by: an open window has had fewer fans yet.
    elapsed = min(1.0, (end - build.published_at) / (closes - build.published_at))
    quality = rng.uniform(6.0, 8.8)  # how stable this week's build turned out
    # Each week fans fall for one change more than the others.
    appeal = [change.voters_count + 1 + rng.random() * 8 for change in changes]
    appeal[rng.randrange(len(appeal))] *= 2.5
    reports = []
    if len(changes) >= 2 and wanted:
        count = round(len(fans) * rng.uniform(*REPORTING) * elapsed)
        for fan in rng.sample(list(fans), count):
            loved = rng.choices(changes, weights=appeal)[0]
            others = [c for c in changes if c != loved]
            least = rng.choices(others, weights=[1 / appeal[changes.index(c)] for c in others])[0]
            at = _moment(rng, build.published_at, end)
            reports.append(
                Report(
                    fan=fan,
                    build=build,
                    mood=_mood(rng, quality),
                    loved=loved,
                    least_effective=least,
                    wanted=rng.choices(wanted, weights=[p.votes_count + 2 for p in wanted])[0],
                    created_at=at,
                    updated_at=at,
                )
            )
    ratings = []
    for fan in rng.sample(list(fans), round(len(fans) * rng.uniform(*RATING) * elapsed)):
        at = _moment(rng, build.published_at, end)
        ratings.append(
            Rating(
                fan=fan,
                build=build,
                stability=_stability(rng, quality),
                created_at=at,
                updated_at=at,
            )
        )
    return reports, ratings


def load_feedback(*, rng: random.Random, now: datetime, fans: Sequence[User]) -> Loaded:
    """Reports and ratings on every published developer build, then the awards."""
    builds = list(
        Build.objects.developer()
        .published()
        .select_related("product")
        .order_by("product__slug", "version_date")
    )
    wanted = {
        build.product_id: list(wanted_candidates(build.product)[:WANTED_FROM]) for build in builds
    }
    reports: list[Report] = []
    ratings: list[Rating] = []
    for build in builds:
        more_reports, more_ratings = _build_feedback(
            rng, build, fans, wanted[build.product_id], now
        )
        reports += more_reports
        ratings += more_ratings
    Report.objects.bulk_create(reports, batch_size=1000)
    Rating.objects.bulk_create(ratings, batch_size=1000)
    Installation.objects.bulk_create(
        [Installation(fan=r.fan, build=r.build, created_at=r.created_at) for r in ratings],
        batch_size=1000,
        ignore_conflicts=True,
    )
    with quiet("orangefriday.feedback"), quiet("orangefriday.releases"):
        awards = [_award(build, now) for build in builds]
    return Loaded(reports=len(reports), ratings=len(ratings), awards=sum(map(bool, awards)))


def _award(build: Build, now: datetime) -> Award | None:
    """The worker's job for a past week: the award, then its line in the next week's notes."""
    award = give_popcorn_award(build=build)
    if award is None:
        return None
    closes = window_closes(build) or now
    Award.objects.filter(pk=award.pk).update(awarded_at=closes)
    announced = announce_award(award=award)
    if announced is not None and announced.announcement_id is not None:
        # The notes were edited when the award came, not when the demo was loaded.
        Post.objects.filter(pk=announced.announcement_id).update(
            updated_at=max(closes, announced.published_at or now)
        )
    return award


# "Did this solve it?" on last week's builds: the share of voters who answer, and how
# often a post is solved for them; one post of the week did not work for most of them.
ANSWERING = 0.6
SOLVED = 0.85
UNSOLVED = 0.25  # the week's disappointment: few of its voters say it is solved


def load_answers(*, rng: random.Random, now: datetime) -> int:
    """Voters' answers on the posts each product's latest weekly build shipped, through the
    real action; the most voted of them all is the one most voters say is not solved, which
    reopens it once the events are dispatched. Returns how many answers were given."""
    latest: dict[int, Build] = {}
    for build in Build.objects.developer().published().order_by("published_at"):
        latest[build.product_id] = build
    shipped = [
        (change.post, build)
        for build in latest.values()
        for change in build.changes.select_related("post").order_by("position")
        if change.post is not None
    ]
    if not shipped:
        return 0
    voters = {
        post.pk: list(Vote.objects.filter(post=post).select_related("fan").order_by("fan_id"))
        for post, _ in shipped
    }
    # All of its voters answer, so that enough do for the rule (the demo's board is small).
    disappointing = max(shipped, key=lambda pair: len(voters[pair[0].pk]))[0]
    given = 0
    for post, build in shipped:
        assert build.published_at is not None
        solved_share = UNSOLVED if post == disappointing else SOLVED
        answered = unsolved = 0
        for vote in voters[post.pk]:
            if rng.random() > ANSWERING and post != disappointing:
                continue
            solved = rng.random() < solved_share
            # Only the disappointing post reopens, whatever the draws (and so the day the
            # demo is loaded on) give the others: a "no" that would reopen one, now or once
            # enough fans answered, is a yes.
            if not solved and post != disappointing:
                enough = max(answered + 1, settings.SOLVED_REOPEN_MIN_ANSWERS)
                solved = should_reopen(answered=enough, unsolved=unsolved + 1)
            answered, unsolved = answered + 1, unsolved + (not solved)
            answer = answer_solved(
                fan=vote.fan, post=post, build=build, solved=solved, limited=False
            )
            at = _moment(rng, build.published_at, now)
            Answer.objects.filter(pk=answer.pk).update(created_at=at, updated_at=at)
            given += 1
    return given
