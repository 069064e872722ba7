"""The email outbox: writing emails once per key, and the fan's opt-out.

Email opt-out: one switch per fan (`EmailPreference.updates`), turned off by the link at the
bottom of every email (no login needed) and back on from the notifications page. It stops
every email about followed posts (status changes, official responses, shipped builds);
in-app notifications keep coming, and following itself is untouched.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import TypeVar

from django.db import transaction
from django.utils import timezone

from orangefriday.accounts.models import User

from . import sql
from .models import EmailPreference, OutboxEmail
from .queries import unsubscribe_links

# Emails written per INSERT; also how many are held in memory at once.
BATCH_SIZE = 2000
# A big event (a build with a million fans) is sent by several workers at once, if there are.
EMAILS_PER_SENDER = 5000
MAX_SENDERS = 8

T = TypeVar("T")


def chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


@dataclass(frozen=True)
class Email:
    key: str  # names the email, so that it is queued once however often its event replays
    fan_id: int
    subject: str
    body: str


def _footer(link: str) -> str:
    return (
        "\n-- \nYou get this email because you follow these posts on Orange Friday.\n"
        f"Stop these emails (one click, no login needed): {link}\n"
    )


def queue_emails(emails: Iterable[Email]) -> int:
    """Write emails to the outbox, once per key, skipping fans who turned these emails off,
    and have them sent. Each carries the fan's unsubscribe link. Returns how many rows
    were offered to the outbox (a replayed key is offered but not written twice)."""
    offered = 0
    for chunk in chunks(emails, BATCH_SIZE):
        opted_out = set(
            EmailPreference.objects.filter(
                fan_id__in={email.fan_id for email in chunk}, updates=False
            ).values_list("fan_id", flat=True)
        )
        offered += write_outbox([email for email in chunk if email.fan_id not in opted_out])
    if offered:
        schedule_delivery(senders=1 + offered // EMAILS_PER_SENDER)
    return offered


def write_outbox(emails: list[Email]) -> int:
    """The emails with their footers, to fans already known to take them; call
    `schedule_delivery` once they are all written."""
    link = unsubscribe_links()
    rows = []
    for email in emails:
        url = link(email.fan_id)
        rows.append((email.key, email.fan_id, email.subject[:200], email.body + _footer(url), url))
    sql.insert_outbox(rows, now=timezone.now())
    return len(rows)


def schedule_delivery(*, senders: int = 1) -> None:
    """Have the outbox sent by up to `senders` workers side by side."""
    from .tasks import start_delivery

    start_delivery(senders=min(senders, MAX_SENDERS))


def set_update_emails(*, fan_id: int, on: bool) -> None:
    """Turn a fan's emails about followed posts on or off. Turning them off also drops the
    ones still waiting in the outbox, so that nothing arrives after the click. (A link of a
    fan who deleted their account changes nothing: there is nobody left to email.)"""
    if not User.objects.filter(pk=fan_id).exists():
        return
    with transaction.atomic():
        EmailPreference.objects.update_or_create(
            fan_id=fan_id, defaults={"updates": on, "changed_at": timezone.now()}
        )
        if not on:
            OutboxEmail.objects.filter(fan_id=fan_id, sent_at__isnull=True).delete()
