"""Sending the outbox.

The promises, and why they hold (the same on PostgreSQL and SQLite):

No email is lost. A row leaves the outbox only by being marked sent, and that happens
only after the SMTP server accepted the message. A worker claims rows with a lease
(`claimed_by`, `claimed_until`); if it dies, its leases run out and any later run claims
the rows again. A later run always exists: `tasks.deliver_outbox` makes sure another run is
queued, due after the leases, whenever it starts while emails are pending, and the task
that starts sending is written in the same transaction as the emails.

At most one duplicate per killed worker. A worker sends one email at a time, in this order:
renew the lease of that one row, hand the message to SMTP, mark the row sent. Killed before
SMTP accepted, the server has nothing (an unfinished DATA is discarded) and the retry is
the first copy. Killed after the mark, nothing is resent. Only a kill between SMTP's "250
accepted" and the committed mark leaves a sent email looking unsent, and there is exactly
one such email per worker at any moment. Its retry carries the same Message-ID, so many
mail clients even fold the two together.

No two workers send the same email. Claiming is one short transaction that picks unclaimed
(or expired) rows and stamps them with the worker's token: on PostgreSQL with
`SELECT ... FOR UPDATE SKIP LOCKED`, so workers take disjoint rows without waiting on each
other; SQLite runs one writer at a time, so two claims cannot interleave. Before sending,
the worker renews the row's lease only if the row still carries its token; a row whose
lease ran out and that another worker took is skipped. For a renewed lease to outlast the
send, the lease must be longer than one SMTP exchange may take: each socket operation is
bounded by the SMTP timeout and a send is a handful of them, hence LEASE >= 8 x timeout.
Worker clocks must agree to well within the lease (NTP).

No transaction stays open while talking to SMTP, so sending never holds SQLite's write lock
or a PostgreSQL row lock for the length of a network exchange.
"""

import logging
import smtplib
import uuid
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from orangefriday.core.text import absolute_links, render_markdown

from .models import MAX_ATTEMPTS, OutboxEmail

logger = logging.getLogger(__name__)

# Problems with one message (a refused recipient, bad data): that email waits and is tried
# again, up to MAX_ATTEMPTS; the others go on. Anything else means the server is gone.
MESSAGE_ERRORS = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
    smtplib.SMTPNotSupportedError,
    UnicodeError,
    ValueError,
)


def lease() -> timedelta:
    return timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)


def retry_delay(attempts: int) -> timedelta:
    """How long a failed email waits: 1, 2, 4, 8 minutes..."""
    return timedelta(minutes=2 ** max(attempts - 1, 0))


def claim(*, worker: str, size: int, now: datetime) -> list[OutboxEmail]:
    """Lease up to `size` pending, unclaimed emails (oldest first) to `worker`."""
    claimable = OutboxEmail.objects.pending().filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )
    with transaction.atomic():
        candidates = claimable.order_by("created_at", "pk")
        if db_connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        ids = list(candidates.values_list("pk", flat=True)[:size])
        if not ids:
            return []
        # The conditions again: on a database without SKIP LOCKED they decide the race.
        claimable.filter(pk__in=ids).update(claimed_by=worker, claimed_until=now + lease())
    return list(
        OutboxEmail.objects.filter(pk__in=ids, claimed_by=worker, sent_at__isnull=True)
        .select_related("fan")
        .order_by("created_at", "pk")
    )


def _still_mine(email: OutboxEmail, worker: str) -> bool:
    """Renew the lease of one row just before sending it, if it is still this worker's."""
    renewed = OutboxEmail.objects.filter(
        pk=email.pk, claimed_by=worker, sent_at__isnull=True
    ).update(attempts=F("attempts") + 1, claimed_until=timezone.now() + lease())
    return renewed == 1


def _mark_sent(email: OutboxEmail) -> None:
    OutboxEmail.objects.filter(pk=email.pk, sent_at__isnull=True).update(
        sent_at=timezone.now(), claimed_until=None, last_error=""
    )


def _postpone(email: OutboxEmail, error: BaseException) -> None:
    attempts = email.attempts + 1
    OutboxEmail.objects.filter(pk=email.pk, sent_at__isnull=True).update(
        claimed_by="",
        claimed_until=timezone.now() + retry_delay(attempts),
        last_error=f"{type(error).__name__}: {error}"[:300],
    )


def _give_back(email: OutboxEmail, error: BaseException) -> None:
    """The server went away (or this process is stopping): not the email's fault, so the
    attempt does not count and the email is free for the next run at once."""
    OutboxEmail.objects.filter(pk=email.pk, sent_at__isnull=True).update(
        claimed_by="",
        claimed_until=None,
        attempts=F("attempts") - 1,
        last_error=f"{type(error).__name__}: {error}"[:300],
    )


def _undeliverable(email: OutboxEmail) -> None:
    OutboxEmail.objects.filter(pk=email.pk, sent_at__isnull=True).update(
        claimed_by="",
        claimed_until=None,
        attempts=MAX_ATTEMPTS,
        last_error="The fan has no email address or was deactivated.",
    )


def _release(worker: str) -> None:
    """Hand back what this run claimed and did not send, so others need not wait."""
    OutboxEmail.objects.filter(claimed_by=worker, sent_at__isnull=True).update(
        claimed_by="", claimed_until=None
    )


def message_id(email: OutboxEmail) -> str:
    """The same for every copy of one outbox email."""
    domain = urlsplit(settings.SITE_URL).hostname or "orangefriday.invalid"
    return f"<outbox.{email.pk}.{email.created_at:%Y%m%d%H%M%S}@{domain}>"


def html_of(markdown: str) -> str:
    """An email's Markdown as a small HTML document: rendered and sanitized like every fan's
    text on the site (titles and comments are quoted in emails), links made absolute."""
    body = absolute_links(render_markdown(markdown), settings.SITE_URL)
    return (
        '<!doctype html><html><head><meta charset="utf-8"></head>'
        '<body style="font-family: sans-serif; line-height: 1.5; max-width: 40em">'
        f"{body}</body></html>"
    )


def as_message(email: OutboxEmail, connection: BaseEmailBackend) -> EmailMultiAlternatives:
    """Multipart: the Markdown body as the plain-text part, its HTML as the alternative.
    Rendered here rather than stored: a build's 200,000 emails are written in seconds, and
    rendering happens at the pace of SMTP anyway."""
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.fan.email],
        connection=connection,
        headers={"Message-ID": message_id(email)},
    )
    message.attach_alternative(html_of(email.body), "text/html")
    if email.unsubscribe_url:
        # RFC 2369 and RFC 8058: mail clients offer their own one-click unsubscribe button,
        # which POSTs "List-Unsubscribe=One-Click" to this URL.
        message.extra_headers["List-Unsubscribe"] = f"<{email.unsubscribe_url}>"
        message.extra_headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return message


def send_pending_emails(limit: int | None = None) -> int:
    """Send pending emails oldest first, a leased batch at a time, until none is left (or
    `limit` were sent); returns how many were sent by this call."""
    worker = uuid.uuid4().hex
    sent = 0
    connection: BaseEmailBackend | None = None
    try:
        while limit is None or sent < limit:
            size = (
                settings.OUTBOX_BATCH if limit is None else min(settings.OUTBOX_BATCH, limit - sent)
            )
            batch = claim(worker=worker, size=size, now=timezone.now())
            if not batch:
                break
            if connection is None:
                connection = get_connection(timeout=settings.EMAIL_TIMEOUT)
                connection.open()
            for email in batch:
                if not email.fan.email or not email.fan.is_active:
                    _undeliverable(email)
                    continue
                if not _still_mine(email, worker):
                    continue
                try:
                    as_message(email, connection).send()
                except MESSAGE_ERRORS as error:
                    logger.warning("Outbox email %s not sent: %s", email.key, error)
                    _postpone(email, error)
                    continue
                except BaseException as error:
                    # The server (or this process) is going away. Whether this one message
                    # got through is unknown: it is retried, which is at most one duplicate.
                    _give_back(email, error)
                    raise
                _mark_sent(email)
                sent += 1
    finally:
        _release(worker)
        if connection is not None:
            connection.close()
    return sent
