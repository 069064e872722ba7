"""Events: recorded with the change or not at all, handed to each consumer once, in order,
one short transaction per step, resumed where a killed worker stopped."""

import pytest
from django.db import transaction

from orangefriday.core import leases
from orangefriday.core.events import LEASE, consumer, dispatch, record
from orangefriday.core.models import Event, Handling, Lease

pytestmark = pytest.mark.django_db

seen: list[tuple[str, int]] = []
chunks: list[tuple[int, int | None]] = []
broken: dict[str, int] = {"times": 0}


@consumer("test.ping", name="tests.log_pings")
def log_pings(event: Event) -> None:
    seen.append((event.kind, event.payload["n"]))


@consumer("test.ping", name="tests.flaky")
def flaky(event: Event) -> None:
    if broken["times"]:
        broken["times"] -= 1
        raise RuntimeError("the mail server is down")


@consumer("test.fanout", name="tests.three_chunks", chunked=True)
def three_chunks(event: Event, cursor: int | None) -> int | None:
    step = (cursor or 0) + 1
    if event.payload.get("die_at") == step and not broken.get("died"):
        broken["died"] = 1
        raise KeyboardInterrupt  # stands for a SIGKILL: nothing of this step commits
    chunks.append((event.pk, cursor))
    return step if step < 3 else None


@pytest.fixture(autouse=True)
def _clean():
    seen.clear()
    chunks.clear()
    broken.clear()
    broken["times"] = 0


def ping(n: int, subject) -> Event:
    with transaction.atomic():
        return record("test.ping", subject=subject, actor=subject, n=n)


def test_an_event_exists_only_if_its_change_committed(alice):
    with pytest.raises(RuntimeError, match="the change failed"), transaction.atomic():
        record("test.ping", subject=alice, n=1)
        raise RuntimeError("the change failed")
    assert not Event.objects.exists()
    event = ping(2, alice)
    assert (event.kind, event.subject_type, event.subject_id) == (
        "test.ping",
        "accounts.user",
        alice.pk,
    )
    assert event.actor_id == alice.pk and event.pending


@pytest.mark.django_db(transaction=True)
def test_recording_outside_a_transaction_is_refused(alice):
    with pytest.raises(RuntimeError, match="inside the transaction"):
        record("test.ping", subject=alice, n=1)


def test_each_consumer_gets_each_event_once_in_order(alice):
    for n in range(3):
        ping(n, alice)
    assert dispatch() == 3
    assert dispatch() == 0
    assert seen == [("test.ping", 0), ("test.ping", 1), ("test.ping", 2)]
    assert not Event.objects.filter(pending=True).exists()
    assert Handling.objects.filter(done=True).count() == 6  # two consumers, three events


def test_an_event_committed_late_with_a_lower_id_is_not_skipped(alice):
    """PostgreSQL takes ids before commit: pending rows, not a last-id position, are read."""
    late, early = ping(1, alice), ping(2, alice)
    Event.objects.filter(pk=late.pk).update(pending=False)  # as if not committed yet
    dispatch()
    Event.objects.filter(pk=late.pk).update(pending=True)  # it commits now
    dispatch()
    assert sorted(seen) == [("test.ping", 1), ("test.ping", 2)]
    assert early.pk > late.pk


def test_a_failing_consumer_is_retried_and_does_not_repeat_the_others(alice, settings):
    settings.EVENTS_MAX_ATTEMPTS = 3
    broken["times"] = 1
    event = ping(1, alice)
    dispatch()
    assert Event.objects.get(pk=event.pk).pending  # flaky failed once
    failed = Handling.objects.get(consumer="tests.flaky")
    assert (failed.attempts, failed.done) == (1, False) and "mail server" in failed.last_error
    dispatch()
    assert not Event.objects.get(pk=event.pk).pending
    assert seen == [("test.ping", 1)]  # the healthy consumer ran once


def test_a_consumer_that_keeps_failing_is_set_aside(alice, settings):
    settings.EVENTS_MAX_ATTEMPTS = 2
    broken["times"] = 10
    event = ping(1, alice)
    dispatch()
    dispatch()
    assert not Event.objects.get(pk=event.pk).pending
    assert Handling.objects.get(consumer="tests.flaky").attempts == 2


def test_a_chunked_consumer_resumes_at_its_cursor_after_a_kill(alice):
    with transaction.atomic():
        event = record("test.fanout", subject=alice, die_at=2)
    with pytest.raises(KeyboardInterrupt):
        dispatch()
    # (A real SIGKILL leaves the lease to run out; here the interrupted run let it go.)
    assert not Lease.objects.exists()
    assert Handling.objects.get(event=event).cursor == 1  # the first chunk committed
    dispatch()
    assert chunks == [(event.pk, None), (event.pk, 1), (event.pk, 2)]  # no chunk twice
    assert Handling.objects.get(event=event).done


def test_only_one_dispatcher_works_at_a_time(alice):
    ping(1, alice)
    assert leases.take(LEASE, holder="another worker", seconds=60)
    assert dispatch() == 0 and seen == []
    leases.release(LEASE, holder="another worker")
    assert dispatch() == 1


@consumer("test.fanout_fails", name="tests.fails_on_the_second_chunk", chunked=True)
def fails_on_the_second_chunk(event: Event, cursor: int | None) -> int | None:
    if cursor == 1:
        raise RuntimeError("the second chunk failed")
    chunks.append((event.pk, cursor))
    return 1 if cursor is None else None


def test_a_failed_chunk_is_tried_again_from_where_it_failed(alice, settings):
    settings.EVENTS_MAX_ATTEMPTS = 3
    with transaction.atomic():
        event = record("test.fanout_fails", subject=alice)
    dispatch()
    handling = Handling.objects.get(event=event)
    # The first chunk committed; the failure left the cursor at the second.
    assert (handling.cursor, handling.done, handling.attempts) == (1, False, 1)
    assert chunks == [(event.pk, None)]


def test_only_an_event_someone_consumes_queues_a_dispatcher_run_at_once(
    alice, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from orangefriday.core.tasks import dispatch_events, dispatch_if_pending, waiting_runs

    with django_capture_on_commit_callbacks(execute=True):
        ping(1, alice)
    assert waiting_runs(dispatch_events) == 1
    DBTaskResult.objects.all().delete()
    dispatch()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        unconsumed = record("test.unconsumed", subject=alice)
    assert waiting_runs(dispatch_events) == 0  # written down, nobody woken
    dispatch_if_pending()  # the scheduler's minute pass
    assert waiting_runs(dispatch_events) == 1
    dispatch()
    assert not Event.objects.get(pk=unconsumed.pk).pending
