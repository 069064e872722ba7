"""The digest: weekly by default, daily or never by choice; what moved on the posts a fan
follows and the period's top posts of their products; once per period, whatever repeats."""

from datetime import UTC, datetime

import pytest
import time_machine

from orangefriday.board.actions import change_status, create_post
from orangefriday.board.digest import period_end, send_digest_step, send_digests, start_digests
from orangefriday.conftest import make_fan
from orangefriday.core.events import dispatch
from orangefriday.notifications.emails import set_update_emails
from orangefriday.notifications.models import DigestRound, OutboxEmail
from orangefriday.notifications.preferences import set_choices
from orangefriday.voting.actions import cast_vote

pytestmark = pytest.mark.django_db

# Wednesday 25 November 2026, in the week that ends on Monday 30 November.
WEDNESDAY = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
NEXT_MONDAY = datetime(2026, 11, 30, 0, 30, tzinfo=UTC)


def test_a_period_ends_at_midnight_utc_and_a_week_on_monday():
    assert period_end("daily", WEDNESDAY) == datetime(2026, 11, 25, tzinfo=UTC)
    assert period_end("weekly", WEDNESDAY) == datetime(2026, 11, 23, tzinfo=UTC)
    assert period_end("weekly", NEXT_MONDAY) == datetime(2026, 11, 30, tzinfo=UTC)


@pytest.fixture
def week(alice, bob, maya, recorder):
    """A week on the Sound Recorder board: bob follows alice's idea, which gets planned; a
    second idea gets more votes."""
    with time_machine.travel(WEDNESDAY, tick=False):
        idea = create_post(author=alice, product=recorder, kind="idea", title="Mute *now*")
        cast_vote(fan=bob, post_id=idea.pk)
        popular = create_post(author=maya, product=recorder, kind="idea", title="Cloud backup")
        for name in ("v1", "v2"):
            cast_vote(fan=make_fan(name), post_id=popular.pk)
        change_status(by=maya, post=idea, status="planned", note="Soon")
        dispatch()
    return idea, popular


def run_digests(now: datetime) -> int:
    with time_machine.travel(now, tick=False):
        start_digests()
        return send_digests.call()


def test_the_weekly_digest_lists_what_moved_and_the_top_posts(bob, week):
    idea, _popular = week
    OutboxEmail.objects.all().delete()  # the status change's own emails

    run_digests(NEXT_MONDAY)

    email = OutboxEmail.objects.get(fan=bob, key__startswith="digest:")
    assert email.subject == "Your week on Orange Friday"
    assert "## What moved on the posts you follow" in email.body
    assert "“Mute \\*now\\*” is now planned]" in email.body  # the title escaped
    assert f"/posts/{idea.pk}/)" in email.body
    assert "### Sound Recorder" in email.body
    top = email.body.index("Cloud backup (2 votes)")
    assert top < email.body.index("Mute \\*now\\* (1 votes)")
    assert "Daily, weekly or never" in email.body

    # The scheduler comes again, a worker repeats the round: nothing more is sent.
    assert run_digests(NEXT_MONDAY) == 0
    round_ = DigestRound.objects.get(frequency="weekly")
    assert send_digest_step(round_.pk) is None
    assert OutboxEmail.objects.filter(fan=bob, key__startswith="digest:").count() == 1


def test_daily_never_and_unsubscribed_fans_get_what_they_chose(alice, bob, maya, week):
    set_choices(fan=bob, kinds={}, digest="daily")
    set_choices(fan=maya, kinds={}, digest="off")
    set_update_emails(fan_id=alice.pk, on=False)
    OutboxEmail.objects.all().delete()

    run_digests(datetime(2026, 11, 26, 0, 10, tzinfo=UTC))  # Thursday: Wednesday's day

    digests = OutboxEmail.objects.filter(key__startswith="digest:")
    assert {e.fan.username for e in digests} == {"bob"}
    assert digests.get().subject == "Your day on Orange Friday"
    assert "Today's top posts" in digests.get().body


def test_a_fan_with_nothing_to_read_gets_no_digest(week):
    quiet = make_fan("quiet")
    run_digests(NEXT_MONDAY)
    assert not OutboxEmail.objects.filter(fan=quiet).exists()


def test_a_round_goes_range_by_range_and_resumes_at_its_cursor(settings, bob, week):
    settings.FANOUT_CHUNK_FANS = 1
    with time_machine.travel(NEXT_MONDAY, tick=False):
        start_digests()
    round_ = DigestRound.objects.get(frequency="weekly")
    send_digest_step(round_.pk)
    round_.refresh_from_db()
    assert round_.cursor > 0 and round_.finished_at is None  # one fan id a step
    send_digests.call()
    round_.refresh_from_db()
    assert round_.finished_at is not None
    assert OutboxEmail.objects.filter(fan=bob, key__startswith="digest:").count() == 1


def test_a_chinese_fan_reads_the_digest_in_chinese_with_the_products_chinese_name(
    bob, recorder, week
):
    recorder.name_zh = "录音机"
    recorder.save(update_fields=["name_zh"])
    bob.language = "zh-hans"
    bob.save(update_fields=["language"])
    OutboxEmail.objects.all().delete()

    run_digests(NEXT_MONDAY)

    email = OutboxEmail.objects.get(fan=bob, key__startswith="digest:")
    assert email.subject == "你在橙色星期五的一周"
    assert "### 录音机" in email.body and "Sound Recorder" not in email.body
    assert "Cloud backup（2 票）" in email.body  # noqa: RUF001 (Chinese parentheses)
