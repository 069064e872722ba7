"""Domain events: recorded in the action's transaction, handed to consumers after commit.

An action calls `record("post.status_changed", subject=post, actor=by, status="planned")`
inside its own transaction: the event row commits with the change or not at all, and the
dispatcher is started once the transaction commits. Apps register consumers from their
`AppConfig.ready`:

    @consumer("post.status_changed")
    def tell_followers(event: Event) -> None: ...

The dispatcher (`dispatch`, run by the `dispatch_events` task) hands each pending event to
every consumer of its kind, in event order. Each consumer runs in its own transaction,
which also records that it handled the event (a `Handling` row), so a worker killed at any
point loses nothing and repeats nothing. A consumer with a big audience is `chunked`: it is
called with a cursor (None at first) and returns the next one (None when it is done); each
call is its own short transaction that moves the recorded cursor, so a fan-out to 200,000
fans never holds SQLite's only write lock for more than a moment, and resumes where it
stopped. Only one dispatcher works at a time (a lease), which keeps order and exactness
simple; a failing consumer is retried on later runs and set aside after MAX_ATTEMPTS.

Kinds are named `<subject>.<what happened>` (`post.created`, `build.published`); the
README lists each kind with its payload.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from . import leases
from .models import Event, Handling

logger = logging.getLogger(__name__)

LEASE = "events.dispatcher"
# Pending events read at a time.
BATCH = 100
# The longest step of SQLite's busy-wait back-off (sqliteDefaultBusyCallback), in seconds.
SQLITE_LONGEST_BACKOFF = 0.1


class Actor(Protocol):
    pk: Any


@dataclass(frozen=True)
class Consumer:
    name: str
    kinds: frozenset[str]
    handle: Callable[..., Any]
    chunked: bool


_consumers: dict[str, Consumer] = {}


def consumer(*kinds: str, name: str = "", chunked: bool = False) -> Callable:
    """Register the decorated function as a consumer of these event kinds.

    A plain consumer is `f(event) -> None`; a chunked one is `f(event, cursor) -> cursor`,
    with None as the first cursor and as the answer "done". Its name (by default the
    function's module and name) keys its Handling rows: keep it stable.
    """

    def register(function: Callable) -> Callable:
        label = name or f"{function.__module__}.{function.__qualname__}"
        existing = _consumers.get(label)
        if existing is not None and existing.handle is not function:
            raise ValueError(f"Two consumers are named {label!r}.")
        _consumers[label] = Consumer(label, frozenset(kinds), function, chunked)
        return function

    return register


def consumers_of(kind: str) -> list[Consumer]:
    """The consumers of a kind, in a fixed order (by name)."""
    return sorted((c for c in _consumers.values() if kind in c.kinds), key=lambda c: c.name)


def record(kind: str, /, *, subject: Model, actor: Actor | None = None, **payload: Any) -> Event:
    """Record that `kind` happened to `subject`, inside the caller's transaction, and have
    the dispatcher started once it commits. The payload is JSON: ids, texts, numbers."""
    if not connection.in_atomic_block:
        raise RuntimeError("record() belongs inside the transaction of the change it records.")
    event = Event.objects.create(
        kind=kind,
        subject_type=subject._meta.label_lower,
        subject_id=subject.pk,
        actor_id=actor.pk if actor is not None else None,
        payload=payload,
    )
    dispatch_on_commit(kind)
    return event


def dispatch_on_commit(kind: str) -> None:
    """Have the dispatcher started once the caller's transaction commits an event of `kind`,
    if anything consumes that kind. An event nobody consumes (a sale's `order.held`, a
    thousand in the rush's first seconds) is only written down: it costs no "is a run
    queued?" query after its commit, and the scheduler's minute pass (dispatch_if_pending)
    marks it done."""
    if consumers_of(kind):
        transaction.on_commit(start_dispatch, robust=True)


def start_dispatch() -> None:
    """Queue a dispatcher run, unless one is already waiting to start (it will see every
    event committed before it starts)."""
    from .tasks import dispatch_events, enqueue_unless_waiting

    enqueue_unless_waiting(dispatch_events)


def lease_seconds() -> float:
    return float(settings.EVENTS_LEASE_SECONDS)


def pending() -> bool:
    return Event.objects.filter(pending=True).exists()


def dispatch() -> int:
    """Hand every pending event to its consumers; returns how many events were finished.

    Returns at once if another dispatcher holds the lease. After letting the lease go it
    looks once more, so that an event committed while it was finishing (whose own run found
    the lease taken) is not left for the next minute's run. Events whose consumer failed
    wait for a later run: no loop on a broken consumer.
    """
    finished = 0
    failed: set[int] = set()
    while True:
        holder = leases.new_holder()
        if not leases.take(LEASE, holder=holder, seconds=lease_seconds()):
            return finished
        try:
            finished += _dispatch_pending(holder, failed)
        except leases.LeaseLost:
            logger.warning("The event dispatcher lost its lease; another one carries on.")
            return finished
        finally:
            leases.release(LEASE, holder=holder)
        if not Event.objects.filter(pending=True).exclude(pk__in=failed).exists():
            return finished


def _dispatch_pending(holder: str, failed: set[int]) -> int:
    finished = 0
    while batch := list(
        Event.objects.filter(pending=True).exclude(pk__in=failed).order_by("pk")[:BATCH]
    ):
        # Events nobody consumes are done at once; the others' handlings come in one query.
        idle = [event.pk for event in batch if not consumers_of(event.kind)]
        finished += Event.objects.filter(pk__in=idle).update(pending=False)
        handled: dict[int, dict[str, Handling]] = {}
        for handling in Handling.objects.filter(event__in=batch):
            handled.setdefault(handling.event_id, {})[handling.consumer] = handling
        for event in batch:
            if event.pk in idle:
                continue
            if _hand_over(event, holder, handled.get(event.pk, {})):
                finished += 1
            else:
                failed.add(event.pk)
    return finished


def _hand_over(event: Event, holder: str, handlings: dict[str, Handling]) -> bool:
    """Run every consumer of the event that has not handled it yet; True once all have (or
    were set aside), and the event is then no longer pending."""
    complete = True
    for registered in consumers_of(event.kind):
        handling = handlings.get(registered.name) or Handling(event=event, consumer=registered.name)
        if handling.done:
            continue
        try:
            _run(registered, event, handling, holder)
        except leases.LeaseLost:
            raise
        except Exception as error:
            complete = _note_failure(event, registered.name, error) and complete
    if complete:
        Event.objects.filter(pk=event.pk).update(pending=False)
    return complete


def _run(registered: Consumer, event: Event, handling: Handling, holder: str) -> None:
    """One transaction per step: the consumer's writes, the lease's renewal and the
    handling's new cursor commit together (a chunked consumer takes several steps)."""
    while not handling.done:
        started = time.monotonic()
        with transaction.atomic():
            leases.keep(LEASE, holder=holder, seconds=lease_seconds())
            if registered.chunked:
                cursor = registered.handle(event, handling.cursor)
            else:
                registered.handle(event)
                cursor = None
            handling.cursor = cursor
            handling.done = cursor is None
            handling.updated_at = timezone.now()
            handling.save()
        if not handling.done:
            _give_way(time.monotonic() - started)


def _give_way(held: float) -> None:
    """Between two steps of a big fan-out, let the others write. SQLite has one write lock
    and no queue for it: a waiting vote retries on a back-off that grows to 100 ms, so a
    dispatcher that begins its next step at once can take the lock again and again before
    the vote looks. Pausing at least that long, and as long as the step held the lock, lets
    every waiting writer in and keeps the fan-out to half the lock's time at most.
    PostgreSQL locks rows, not the database: no pause."""
    if connection.vendor == "sqlite":
        time.sleep(max(held, SQLITE_LONGEST_BACKOFF))


def _note_failure(event: Event, name: str, error: Exception) -> bool:
    """Count the failure; True when the consumer is set aside for good (MAX_ATTEMPTS). The
    handling is read again: the failed step's changes to it were rolled back."""
    handling = Handling.objects.filter(event=event, consumer=name).first()
    if handling is None:
        handling = Handling(event=event, consumer=name)
    handling.attempts += 1
    handling.last_error = f"{type(error).__name__}: {error}"[:300]
    handling.done = handling.attempts >= settings.EVENTS_MAX_ATTEMPTS
    handling.updated_at = timezone.now()
    handling.save()
    log = logger.error if handling.done else logger.warning
    log(
        "Consumer %s failed on event %s (attempt %s)%s",
        handling.consumer,
        handling.event_id,
        handling.attempts,
        ", set aside" if handling.done else "",
        exc_info=error,
    )
    return handling.done
