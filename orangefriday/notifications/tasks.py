"""Background sending of the outbox with django-tasks (`manage.py db_worker`).

django-tasks-db never runs a task again once a worker took it: a worker killed in the middle
of `deliver_outbox` leaves that task "running" for ever. So each run, when it starts with
emails pending, makes sure another run is queued for after the leases it may leave behind
(see delivery.py); the chain ends with the first run that finds nothing pending.
"""

from django.db import transaction
from django_tasks import task
from django_tasks_db.backend import DatabaseBackend

from orangefriday.core.tasks import enqueue_unless_waiting, waiting_runs

from .delivery import lease, send_pending_emails
from .models import OutboxEmail


@task()
def deliver_outbox() -> int:
    """Send every pending outbox email; returns how many this run sent."""
    schedule_follow_up()
    return send_pending_emails()


def start_delivery(*, senders: int = 1) -> None:
    """Have `senders` runs of deliver_outbox waiting (they share the work without overlap).

    With the database backend the task rows are written in the caller's transaction, next
    to the emails: both commit or neither does, and no crash in between can leave emails
    that nobody was asked to send. Any other backend is asked once the transaction commits.
    """
    if isinstance(deliver_outbox.get_backend(), DatabaseBackend):
        for _ in range(senders - waiting_runs(deliver_outbox)):
            deliver_outbox.enqueue()
    else:
        for _ in range(senders):
            transaction.on_commit(deliver_outbox.enqueue, robust=True)


def schedule_follow_up() -> None:
    """If emails are pending, make sure a later run exists that outlives this one's leases."""
    if OutboxEmail.objects.pending().exists():
        enqueue_unless_waiting(deliver_outbox, after_seconds=lease().total_seconds() + 1)


def deliver_if_pending() -> None:
    """For the scheduler: queue a run only when something waits to be sent."""
    if OutboxEmail.objects.pending().exists():
        deliver_outbox.enqueue()
