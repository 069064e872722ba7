"""The email outbox: writing emails once per key, and the fan's opt-out.

Email opt-out: one switch per fan (`EmailPreference.updates`), turned off by the link at the
bottom of every email (no login needed) and back on from the notifications page. It stops
every email of the conversation (each kind of notification, the digest); in-app
notifications keep coming, and following itself is untouched. Each kind is also switched on
its own (preferences.py).

Bodies are Markdown: delivery sends them as HTML (core.text's renderer and sanitizer) with
the Markdown itself as the plain-text part.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import TypeVar

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

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


def _footers() -> Callable[[str], str]:
    """From an unsubscribe link to an email's footer (the text translated and the settings
    address reversed once for a whole batch). Markdown, like the bodies: "<url>" is a link
    in the HTML part and reads as one in the plain-text part."""
    text = "\n\n-- \n" + gettext(
        "You get this email because of your notification choices on Orange Friday: "
        "<%(settings)s>\n"
        "Stop all these emails (one click, no login needed): <%(link)s>"
    )
    settings_url = settings.SITE_URL + reverse("accounts:settings")
    return lambda link: text % {"settings": settings_url, "link": link} + "\n"


def queue_emails(emails: Iterable[Email]) -> int:
    """Write emails to the outbox, once per key, and have them sent; the caller left out
    the fans who do not take them (preferences.muted). Each carries the fan's unsubscribe
    link. Returns how many rows were offered to the outbox (a replayed key is offered but
    not written twice)."""
    offered = 0
    for chunk in chunks(emails, BATCH_SIZE):
        offered += write_outbox(chunk)
    if offered:
        schedule_delivery(senders=1 + offered // EMAILS_PER_SENDER)
    return offered


def write_outbox(emails: list[Email]) -> int:
    """The emails with their footers, to fans already known to take them; call
    `schedule_delivery` once they are all written."""
    link, footer = unsubscribe_links(), _footers()
    rows = []
    for email in emails:
        url = link(email.fan_id)
        rows.append((email.key, email.fan_id, email.subject[:200], email.body + footer(url), url))
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
