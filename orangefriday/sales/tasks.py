from django.utils import timezone
from django_tasks import task

from .actions import announce_due_rounds, expire_due_holds, rounds_to_announce
from .models import Order, OrderState


@task()
def expire_holds() -> int:
    """Orders not paid in time give their unit back."""
    return expire_due_holds()


@task()
def announce_rounds() -> int:
    """Reserved fans hear of each round SALES_NOTICE_MINUTES before it."""
    return len(announce_due_rounds())


def expire_if_due() -> None:
    """The scheduler's job (every 15 seconds): a run only when a hold is past its time."""
    if Order.objects.filter(state=OrderState.HELD, held_until__lte=timezone.now()).exists():
        expire_holds.enqueue()


def announce_if_due() -> None:
    """The scheduler's job (every minute): a run only when a round is to be announced."""
    if rounds_to_announce(now=timezone.now()).exists():
        announce_rounds.enqueue()
