"""`manage.py cut_release` and `manage.py run_scheduler`."""

import io
import os
import signal
import threading
from dataclasses import replace
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tasks import default_task_backend

from orangefriday.board.models import Post
from orangefriday.core import schedule
from orangefriday.notifications.models import OutboxEmail
from orangefriday.releases.models import Build, Channel, Holiday

from .conftest import local, ship

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def shipped(clock, product, maya, alice, bob):
    clock.move_to(local(2026, 11, 25, 10, 0))
    return ship(engineer=maya, author=alice, product=product, title="Mute", voters=[bob])


def test_cut_release_at_friday_17_00_cuts_and_publishes(shipped, clock):
    clock.move_to(local(2026, 11, 30, 9, 0))
    out = run("cut_release", "--product", "sound-recorder", "--channel", "developer", "--at",
              "2026-11-27T17:00")  # fmt: skip

    assert "Cut Sound Recorder 26.11.27 (developer, week 1): 1 change." in out
    assert "Published 26.11.27 and pinned “Week 1 release announcement and changelog" in out
    build = Build.objects.get(version="26.11.27")
    assert build.published_at is not None
    assert build.changes.get().post == shipped
    assert build.announcement is not None and Post.objects.get(announced_build=build).pinned


def test_cut_release_one_microsecond_early_is_last_weeks_build(shipped, clock):
    clock.move_to(local(2026, 11, 28, 9, 0))
    out = run("cut_release", "--product", "sound-recorder", "--channel", "developer",
              "--at", "2026-11-27T16:59:59.999999+08:00")  # fmt: skip
    assert "Cut Sound Recorder 26.11.20" in out
    assert not Build.objects.filter(version="26.11.27").exists()


def test_cut_release_twice_and_as_a_draft(shipped, clock):
    clock.move_to(local(2026, 11, 27, 17, 0))
    args = ["cut_release", "--product", "sound-recorder", "--channel", "developer"]
    assert "Cut Sound Recorder 26.11.27" in run(*args, "--draft")
    assert Build.objects.get().published_at is None
    out = run(*args)  # cuts nothing more, and publishes the draft
    assert "Nothing new to cut (26.11.27 was already cut)" in out
    assert "Published 26.11.27" in out
    assert "Nothing new to cut" in run(*args)
    assert Build.objects.count() == 1


def test_cut_release_on_a_holiday_and_for_internal_builds(shipped, clock, product):
    Holiday.objects.create(product=product, date=date(2026, 11, 27), name="Thanksgiving")
    clock.move_to(local(2026, 11, 27, 18, 0))
    out = run("cut_release", "--product", "sound-recorder", "--channel", "developer")
    # The week before had no build yet, so it is the one cut.
    assert "Cut Sound Recorder 26.11.20" in out
    out = run("cut_release", "--product", "sound-recorder", "--channel", "internal", "--draft")
    # Mute, shipped on Wednesday, is after 26.11.20's cut: the internal build carries it.
    assert "Cut Sound Recorder 26.11.27-internal.1 (internal): 1 change." in out
    assert Build.objects.get(channel=Channel.INTERNAL).published_at is None


def test_cut_release_refuses_unknown_products_and_bad_times(product, clock):
    with pytest.raises(CommandError, match="No product"):
        run("cut_release", "--product", "nope", "--channel", "developer")
    with pytest.raises(CommandError, match="ISO"):
        run("cut_release", "--product", "sound-recorder", "--channel", "developer", "--at", "x")
    with pytest.raises(CommandError, match="future"):
        run("cut_release", "--product", "sound-recorder", "--channel", "developer",
            "--at", "2030-01-04T17:00")  # fmt: skip


@pytest.fixture
def dummy_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()  # type: ignore[attr-defined]
    yield default_task_backend
    default_task_backend.clear()  # type: ignore[attr-defined]


@pytest.fixture
def trending_calls(monkeypatch) -> list:
    calls: list = []
    (job,) = [job for job in schedule.jobs() if job.name == "expire trending votes"]
    monkeypatch.setitem(schedule._jobs, job.name, replace(job, run=lambda: calls.append(1)))
    return calls


# The scheduler closes stale connections between rounds, as a long-lived process must; a
# test transaction would not survive that, so these tests commit for real.
@pytest.mark.django_db(transaction=True)
def test_one_scheduler_round_enqueues_the_cut_and_moves_trending(
    dummy_tasks, trending_calls, clock
):
    run("run_scheduler", "--once")

    enqueued = [result.task.name for result in dummy_tasks.results]
    # No delivery run (no email waits); every other periodic job is due at the first round.
    assert sorted(enqueued) == [
        "check_tester_duties",
        "cut_due_builds",
        "give_popcorn_awards",
        "refit_rates",
        "refresh_insights",
        "send_digests",
    ]
    assert len(trending_calls) == 1


@pytest.mark.django_db(transaction=True)
def test_a_scheduler_round_enqueues_delivery_when_an_email_waits(dummy_tasks, trending_calls, bob):
    OutboxEmail.objects.create(key="test", fan=bob, subject="Hi", body="Hello")
    run("run_scheduler", "--once")

    enqueued = [result.task.name for result in dummy_tasks.results]
    assert sorted(enqueued) == [
        "check_tester_duties",
        "cut_due_builds",
        "deliver_outbox",
        "give_popcorn_awards",
        "refit_rates",
        "refresh_insights",
        "send_digests",
    ]


def test_the_enqueued_cut_task_publishes_the_due_build(shipped, clock):
    from orangefriday.releases.tasks import cut_due_builds

    clock.move_to(local(2026, 11, 27, 17, 0, 30))
    assert cut_due_builds.call() == ["sound-recorder 26.11.27"]
    assert cut_due_builds.call() == []


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_loops_and_stops_cleanly_on_sigterm(dummy_tasks, trending_calls, bob):
    OutboxEmail.objects.create(key="test", fan=bob, subject="Hi", body="Hello")
    # Four rounds a second, stopped by a real SIGTERM after about a second.
    timer = threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGTERM))
    previous = signal.getsignal(signal.SIGTERM)
    timer.start()
    try:
        out = run("run_scheduler", "--interval", "0.5")
    finally:
        timer.cancel()
    assert "Scheduler stopped." in out
    assert signal.getsignal(signal.SIGTERM) == previous  # the handler is given back
    names = [result.task.name for result in dummy_tasks.results]
    assert names.count("deliver_outbox") >= 2  # every half interval
    assert names.count("cut_due_builds") >= 1
    assert len(trending_calls) >= 1
