"""Core's background work: the event dispatcher, and how any task keeps a run queued.

django-tasks-db never runs a task again once a worker took it: a worker killed in the middle
of a run leaves that task "running" for ever. A task whose work may be cut short therefore
queues, when it starts with work to do, a later run for after its leases run out
(`enqueue_unless_waiting` with `run_after`); the chain ends with the first run that finds
nothing to do. The scheduler's minute job is the safety net beneath that.
"""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task
from django_tasks_db.backend import DatabaseBackend

from . import events


def waiting_runs(queued: Task, *, due_now: bool = True) -> int:
    """Runs of `queued` waiting to start now (or at all, `due_now=False`); known only with
    the database backend, 0 with any other."""
    if not isinstance(queued.get_backend(), DatabaseBackend):
        return 0
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    runs = DBTaskResult.objects.filter(task_path=queued.module_path)
    if due_now:
        return runs.ready().count()
    return runs.filter(status=TaskResultStatus.READY).count()


def enqueue_unless_waiting(queued: Task, *, after_seconds: float | None = None) -> None:
    """Queue a run of `queued` unless one is already waiting to start, which will do the
    same work. With `after_seconds`, a later run (a follow-up), unless any run waits."""
    if after_seconds is not None and not queued.get_backend().supports_defer:
        return
    if waiting_runs(queued, due_now=after_seconds is None):
        return
    if after_seconds is None:
        queued.enqueue()
    else:
        queued.using(run_after=timezone.now() + timedelta(seconds=after_seconds)).enqueue()


@task()
def dispatch_events() -> int:
    """Hand the pending events to their consumers; returns how many it finished. Queued
    when an event commits, and each minute by the scheduler while events are pending."""
    if events.pending():
        enqueue_unless_waiting(dispatch_events, after_seconds=events.lease_seconds() + 1)
    return events.dispatch()


def dispatch_if_pending() -> None:
    """For the scheduler: queue a dispatcher run when events wait."""
    if events.pending():
        enqueue_unless_waiting(dispatch_events)
