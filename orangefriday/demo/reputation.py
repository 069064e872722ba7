"""The demo's reputation and tester programmes.

Points come from the demo's history through the real consumers: the replay's ships, awards,
known issues and vote milestones are events already; the four-grid reports and ratings that
demo/feedback.py inserts in bulk are recorded here as the events filing them would have
been (at their own moments), so the ledger, each build's first testers and the founding
fans come from the same consumers as in production. Then each product gets a programme with
a quiz, testers who passed it this week (one has filed this week's bug report with a log),
and one tester who joined the week before, filed nothing and is removed by the real check.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from orangefriday.accounts.models import TrustLevel, User
from orangefriday.board.actions import create_post
from orangefriday.board.models import Product
from orangefriday.core.calendar import local_midnight, week_start
from orangefriday.core.events import dispatch, record
from orangefriday.core.models import Event
from orangefriday.demo.history import newest_pk
from orangefriday.feedback.models import Rating, Report
from orangefriday.notifications.models import OutboxEmail
from orangefriday.reputation.models import Entry, FirstTester, FoundingFan, Tester
from orangefriday.reputation.testers import (
    QuestionDraft,
    check_duties,
    take_quiz,
    write_programme,
)

QUIZ = [
    QuestionDraft(
        "What must every bug report of a tester carry?",
        [("A log file captured on the phone", True), ("A screenshot of the settings", False)],
    ),
    QuestionDraft(
        "When does a tester's week end?",
        [("Sunday 24:00, product time", True), ("Friday 17:00", False), ("Never", False)],
    ),
    QuestionDraft(
        "A bug is already listed as a known issue of your build. What do you do?",
        [("Vote for it there", True), ("Report it again", False)],
    ),
    QuestionDraft(
        "Who sees an internal build?",
        [("The product's testers and engineers", True), ("Everyone", False)],
    ),
]
PLACES = {"miui": 12, "sound-recorder": 6, "camera": 8}
TESTERS = 4  # per product, in good standing


@dataclass(frozen=True)
class Loaded:
    entries: int
    testers: int
    removed: int
    first_testers: int
    founding_fans: int


def record_feedback_history() -> None:
    """The report.filed and rating.given events of the bulk-inserted reports and ratings,
    oldest first, each at its own moment."""
    rows: list[tuple[datetime, str, object, int, int]] = []
    for report in Report.objects.all():
        rows.append((report.created_at, "report.filed", report, report.fan_id, report.build_id))
    for rating in Rating.objects.all():
        rows.append((rating.created_at, "rating.given", rating, rating.fan_id, rating.build_id))
    rows.sort(key=lambda row: (row[0], row[1]))
    with transaction.atomic():
        for at, kind, row, fan_id, build_id in rows:
            extra = (
                {
                    "mood": row.mood,
                    "loved": row.loved_id,
                    "least_effective": row.least_effective_id,
                    "wanted_post": row.wanted_id,
                }
                if isinstance(row, Report)
                else {"stability": row.stability}  # type: ignore[attr-defined]
            )
            event = record(
                kind,
                subject=row,  # type: ignore[arg-type]
                actor=User(pk=fan_id),
                build_id=build_id,
                changed=False,
                **extra,
            )
            Event.objects.filter(pk=event.pk).update(created_at=at)
    dispatch()


def load_reputation(*, rng: random.Random, now: datetime, fans: list[User]) -> Loaded:
    emails_after = newest_pk(OutboxEmail)
    record_feedback_history()
    testers = removed = 0
    for product in Product.objects.order_by("pk"):
        engineer = product.engineers.order_by("username").first()
        assert engineer is not None
        programme = write_programme(
            by=engineer,
            product=product,
            places=PLACES.get(product.slug, 8),
            pass_mark=75,
            intro=f"Test {product.name}'s builds before everyone else, and shape them.",
            questions=QUIZ,
        )
        right = {q.pk: q.choices.get(correct=True).pk for q in programme.questions.all()}
        # Testers come from the fans who take part (members and above), as MIUI's did.
        chosen = rng.sample([f for f in fans if f.trust_level >= TrustLevel.MEMBER], TESTERS + 1)
        monday = local_midnight(week_start(now, product.time_zone), product.time_zone)
        for fan in chosen:
            take_quiz(fan=fan, product=product, answers=right)
        # The last one joined a week earlier and filed nothing: the week's check removes them.
        late = chosen[-1]
        Tester.objects.filter(programme=programme, fan=late).update(
            joined_at=monday - timedelta(days=7, hours=-10)
        )
        removed += check_duties(now=now)
        # One tester has done this week's bug report with a log file already.
        keen = chosen[0]
        latest = product.builds.for_everyone().developer().order_by("-cut_at").first()
        create_post(
            author=keen,
            product=product,
            kind="bug",
            title=f"{product.name}: the app freezes after unlocking with a fingerprint",
            body="Happens about one time in ten. The log is attached.",
            found_in_build_id=latest.pk if latest else None,
            device="Xiaomi 14",
            log=SimpleUploadedFile("logcat.txt", b"E/Demo: freeze after unlock\n"),
            limited=False,
        )
        for fan in chosen[:-1]:
            Tester.objects.filter(programme=programme, fan=fan).update(
                joined_at=min(monday + timedelta(hours=9), now - timedelta(hours=1))
            )
        testers += len(chosen) - 1
    dispatch()
    # The removed testers' emails are history too: they count as sent.
    OutboxEmail.objects.filter(pk__gt=emails_after, sent_at__isnull=True).update(sent_at=now)
    return Loaded(
        entries=Entry.objects.count(),
        testers=testers,
        removed=removed,
        first_testers=FirstTester.objects.count(),
        founding_fans=FoundingFan.objects.count(),
    )
