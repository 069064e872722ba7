"""The week a claim belongs to, and roll-over, in the product's time zone (Asia/Shanghai)
while the server's clock is on UTC."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from orangefriday.board.actions import change_status
from orangefriday.board.models import Post
from orangefriday.planning.actions import PlanConflict, claim_post, ship_claimed_post, update_team
from orangefriday.planning.queries import counted_claims, team_load, weekly_plan
from orangefriday.planning.rules import counts_toward_load, week_begins

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def shanghai(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


def test_the_server_runs_on_utc(settings):
    assert settings.TIME_ZONE == "UTC"


def test_a_claim_on_sunday_night_belongs_to_that_week_and_monday_to_the_next(rockets, maya, idea):
    sunday_night, monday_morning = idea("Sunday"), idea("Monday")
    with time_machine.travel(shanghai(29, 23, 30), tick=False):  # Sunday 15:30 UTC
        late = claim_post(by=maya, team=rockets, post=sunday_night)
    with time_machine.travel(shanghai(30, 0, 30), tick=False):  # still Sunday 16:30 UTC
        early = claim_post(by=maya, team=rockets, post=monday_morning)
        assert timezone.now().date() == date(2026, 11, 29)  # UTC would call it last week
    assert late.week_start == date(2026, 11, 23)
    assert early.week_start == date(2026, 11, 30)


def test_an_unshipped_claim_rolls_into_next_week_and_a_shipped_one_frees_its_slot(
    client, rockets, maya, lee, idea
):
    update_team(by=maya, team=rockets, weekly_capacity=2)
    unfinished, done, waiting = idea("Unfinished", votes=5), idea("Done", votes=4), idea("Next")
    with time_machine.travel(shanghai(25, 10), tick=False):  # Wednesday
        claim_post(by=lee, team=rockets, post=done)
    with time_machine.travel(shanghai(29, 23, 30), tick=False):  # Sunday night
        claim_post(by=maya, team=rockets, post=unfinished)
    with time_machine.travel(shanghai(29, 23, 45), tick=False):
        ship_claimed_post(by=lee, post=done)
    with time_machine.travel(
        shanghai(
            29,
            23,
            59,
        ),
        tick=False,
    ):
        assert team_load(rockets, now=timezone.now()) == 2
        with pytest.raises(PlanConflict):
            claim_post(by=maya, team=rockets, post=waiting)

    # Monday 00:30 in Shanghai; the server's UTC clock still says Sunday.
    with time_machine.travel(shanghai(30, 0, 30), tick=False):
        now = timezone.now()
        assert team_load(rockets, now=now) == 1  # the unfinished one rolled over
        plan = weekly_plan(rockets.product, now=now)
        (week,) = plan.teams
        assert [c.post for c in week.in_progress] == [unfinished] and week.shipped == []
        page = client.get("/p/sound-recorder/plan/").content.decode()
        assert "rolled over" in page and "Week of Monday, November 30, 2026" in page

        claim = claim_post(by=maya, team=rockets, post=waiting)
        assert claim.week_start == date(2026, 11, 30)
        assert team_load(rockets, now=now) == 2
    unfinished_claim = Post.objects.get(pk=unfinished.pk).claim
    assert unfinished_claim.week_start == date(2026, 11, 23)  # its week is not rewritten


def test_a_dropped_claim_frees_its_slot(rockets, maya, idea):
    post = idea("Declined after all")
    claim_post(by=maya, team=rockets, post=post)
    change_status(by=maya, post=post, status="declined", note="Not this year.")
    assert team_load(rockets, now=timezone.now()) == 0


@pytest.mark.parametrize(
    ("status", "shipped_offset"),
    [
        ("in_progress", None),
        ("planned", None),
        ("declined", None),
        ("shipped", timedelta(0)),
        ("shipped", timedelta(days=3)),
        ("shipped", -timedelta(microseconds=1)),
        ("shipped", -timedelta(days=8)),
    ],
)
def test_the_load_query_agrees_with_the_pure_rule(rockets, maya, idea, status, shipped_offset):
    now = shanghai(27, 12)
    began = week_begins(now, "Asia/Shanghai")
    post = idea("Any")
    claim_post(by=maya, team=rockets, post=post)
    shipped_at = None if shipped_offset is None else began + shipped_offset
    Post.objects.filter(pk=post.pk).update(status=status, shipped_at=shipped_at)

    in_sql = rockets.claims.filter(counted_claims(began)).exists()

    assert in_sql is counts_toward_load(status=status, shipped_at=shipped_at, week_began=began)
    assert began == datetime(2026, 11, 22, 16, 0, tzinfo=UTC)
