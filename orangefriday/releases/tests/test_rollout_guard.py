"""The rollout guard: too many bug reports on a stable build per 1,000 fans running it in the
last 24 hours halt its staged rollout by itself, once, and tell the engineers once."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from orangefriday.board.actions import create_post
from orangefriday.conftest import make_fan
from orangefriday.core import schedule
from orangefriday.core.events import dispatch
from orangefriday.notifications.models import Notification, OutboxEmail
from orangefriday.releases.guard import halt_reason, trips_guard, window_start
from orangefriday.releases.installations import declare_running
from orangefriday.releases.models import Build
from orangefriday.releases.stable import guard_rollouts, halt_rollout, resume_rollout, set_rollout

pytestmark = pytest.mark.django_db


def test_the_rule_trips_only_above_the_limit():
    # 250 per 1,000 with 4 fans running: 1 report is exactly the limit, 2 are above it.
    assert not trips_guard(reports=1, fans_running=4, per_1000=250)
    assert trips_guard(reports=2, fans_running=4, per_1000=250)
    assert not trips_guard(reports=0, fans_running=0, per_1000=0)
    assert trips_guard(reports=1, fans_running=0, per_1000=1000)
    assert halt_reason(reports=2, fans_running=4, per_1000=250) == (
        "Rollout guard: 2 bug reports in 24 hours from 4 fans running it "
        "(500 per 1,000; the limit is 250)."
    )


def test_the_window_is_24_hours_but_starts_again_at_the_last_halt():
    now = timezone.now()
    assert window_start(now, None) == now - timedelta(hours=24)
    assert window_start(now, now - timedelta(hours=30)) == now - timedelta(hours=24)
    assert window_start(now, now - timedelta(hours=2)) == now - timedelta(hours=2)


@pytest.fixture
def running(stable: Build) -> Build:
    """Four fans run the stable build; the limit is 250 reports per 1,000 fans."""
    for i in range(4):
        declare_running(fan=make_fan(f"runner{i}"), build=stable)
    stable.product.rollout_guard_per_1000 = 250
    stable.product.save(update_fields=["rollout_guard_per_1000"])
    return stable


REPORTERS = itertools.count()


def report(build: Build, n: int = 1) -> None:
    """`n` bug reports naming the build, each by another fan, filed now."""
    for i in range(n):
        create_post(
            author=make_fan(f"reporter{next(REPORTERS)}"),
            product=build.product,
            kind="bug",
            title=f"Crash {i}",
            found_in_build_id=build.pk,
        )


def test_at_the_limit_nothing_happens_one_more_report_halts_and_tells_the_engineers(running, maya):
    report(running, 1)
    assert guard_rollouts(now=timezone.now()) == []
    dispatch()
    running.refresh_from_db()
    assert not running.rollout_halted

    report(running, 1)
    assert guard_rollouts(now=timezone.now()) == [running]
    dispatch()
    running.refresh_from_db()
    assert running.rollout_halted and running.rollout_percent == 10
    assert running.rollout_halted_at == timezone.now()
    assert running.rollout_halt_reason == (
        "Rollout guard: 2 bug reports in 24 hours from 4 fans running it "
        "(500 per 1,000; the limit is 250)."
    )
    (notification,) = Notification.objects.filter(fan=maya)
    assert notification.kind == "halted"
    assert "Sound Recorder 26.11.27 rollout halted at 10%" in notification.message
    assert notification.url == running.get_absolute_url()
    (email,) = OutboxEmail.objects.filter(fan=maya)
    assert email.subject == "Sound Recorder 26.11.27 rollout halted at 10%"
    assert running.rollout_halt_reason in email.body

    # Checked again (a second scheduler, the next minute): no second halt, no second word.
    assert guard_rollouts(now=timezone.now()) == []
    dispatch()
    assert Notification.objects.filter(fan=maya).count() == 1
    assert OutboxEmail.objects.filter(fan=maya).count() == 1


@pytest.mark.parametrize(("seconds_later", "halts"), [(24 * 3600 - 1, True), (24 * 3600, False)])
def test_reports_older_than_24_hours_do_not_count(running, clock, seconds_later, halts):
    filed_at = timezone.now()
    report(running, 2)
    clock.move_to(filed_at + timedelta(seconds=seconds_later))
    assert bool(guard_rollouts(now=timezone.now())) is halts
    running.refresh_from_db()
    assert running.rollout_halted is halts


def test_after_a_resume_only_new_reports_count(running, clock, maya):
    report(running, 2)
    guard_rollouts(now=timezone.now())
    dispatch()
    clock.move_to(timezone.now() + timedelta(hours=1))
    resume_rollout(by=maya, build=running)

    # The reports that halted it do not halt it again at once.
    assert guard_rollouts(now=timezone.now()) == []
    dispatch()
    report(running, 1)
    assert guard_rollouts(now=timezone.now()) == []
    dispatch()
    report(running, 1)
    assert guard_rollouts(now=timezone.now()) == [running]
    dispatch()
    assert Notification.objects.filter(fan=maya, kind="halted").count() == 2


def test_only_stable_builds_rolling_out_are_guarded(running, maya):
    developer = running.promoted_from
    assert developer is not None
    report(developer, 5)
    assert guard_rollouts(now=timezone.now()) == []
    dispatch()

    report(running, 5)
    halt_rollout(by=maya, build=running)  # already halted by an engineer: left as it is
    dispatch()
    assert guard_rollouts(now=timezone.now()) == []
    dispatch()
    running.refresh_from_db()
    assert running.rollout_halt_reason == ""
    assert not Notification.objects.filter(kind="halted").exists()

    resume_rollout(by=maya, build=running)
    set_rollout(by=maya, build=running, percent=100)
    report(running, 5)
    assert guard_rollouts(now=timezone.now()) == []  # everyone has it: nothing to halt
    dispatch()


def test_the_scheduler_runs_the_guard_each_minute(running):
    report(running, 2)
    (job,) = [job for job in schedule.jobs() if job.name == "rollout guard"]
    assert job.every == 60
    job.run()
    running.refresh_from_db()
    assert running.rollout_halted


def test_the_build_page_and_the_api_say_why_it_halted(running, client, api_as):
    report(running, 2)
    guard_rollouts(now=timezone.now())
    dispatch()
    page = client.get(running.get_absolute_url()).content.decode()
    assert 'Rollout halted: <span translate="no">Rollout guard: 2 bug reports in 24 hours' in page
    assert (
        api_as(None)
        .get(f"/builds/{running.pk}")
        .json()["rollout_halt_reason"]
        .startswith("Rollout guard: 2 bug reports")
    )
