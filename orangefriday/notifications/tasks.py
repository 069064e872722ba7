"""Background sending of the outbox with django-tasks (`manage.py db_worker`).

django-tasks-db never runs a task again once a worker took it: a worker killed in the middle
of `deliver_outbox` leaves that task "running" for ever. So each run, when it starts with
emails pending, makes sure another run is queued for after the leases it may leave behind
(see delivery.py); the chain ends with the first run that finds nothing pending.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.backend import DatabaseBackend

from .delivery import lease, send_pending_emails
from .models import OutboxEmail


@task()
def deliver_outbox() -> int:
    """Send every pending outbox email; returns how many this run sent."""
    schedule_follow_up()
    return send_pending_emails()


def _queued_in_database() -> bool:
    return isinstance(deliver_outbox.get_backend(), DatabaseBackend)


def start_delivery(*, senders: int = 1) -> None:
    """Queue `senders` runs of deliver_outbox (they share the work without overlap).

    With the database backend the task rows are written in the caller's transaction, next
    to the emails: both commit or neither does, and no crash in between can leave emails
    that nobody was asked to send. Any other backend is asked once the transaction commits.
    """
    for _ in range(senders):
        if _queued_in_database():
            deliver_outbox.enqueue()
        else:
            transaction.on_commit(deliver_outbox.enqueue, robust=True)


def schedule_follow_up() -> None:
    """If emails are pending, make sure a later run exists that outlives this one's leases.

    A run already waiting to start is enough: it does the same check when it starts.
    """
    if not OutboxEmail.objects.pending().exists():
        return
    backend = deliver_outbox.get_backend()
    if not backend.supports_defer:
        return
    if isinstance(backend, DatabaseBackend):
        from django_tasks_db.compat import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.filter(
            status=TaskResultStatus.READY, task_path=deliver_outbox.module_path
        )
        if waiting.exists():
            return
    due = timezone.now() + lease() + timedelta(seconds=1)
    deliver_outbox.using(run_after=due).enqueue()


def deliver_if_pending() -> None:
    """For a periodic scheduler: queue a run only when something waits to be sent."""
    if OutboxEmail.objects.pending().exists():
        deliver_outbox.enqueue()
