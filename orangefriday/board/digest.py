"""The digest: a daily or weekly email (the fan's choice, weekly unless they chose) of what
moved on the posts they follow, and the period's top posts of the products they follow posts
of. Board writes it because it knows the posts; notifications keeps the choice, the round's
progress and the outbox.

A day ends at 00:00 UTC and a week on Monday 00:00 UTC: fans of every product and zone get
one digest for the same span. The scheduler makes sure each ended period has its round and
queues the task; the task covers the fans range by range (`FANOUT_CHUNK_FANS` ids), each
range one short transaction that writes the emails and moves the round's cursor. Emails
are keyed by round and fan, so nothing is sent twice however the work is repeated. A fan
with nothing to read gets nothing.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django_tasks import task

from orangefriday.accounts.languages import in_language
from orangefriday.accounts.models import User
from orangefriday.core.tasks import enqueue_unless_waiting
from orangefriday.core.text import escape_markdown
from orangefriday.notifications.emails import Email, queue_emails
from orangefriday.notifications.models import Digest, DigestRound, Notification, Subscription

from .models import Post, Product, Status

# What one digest lists at most.
MOVED_MAX = 15
TOP_PER_PRODUCT = 5
PRODUCTS_MAX = 5
SPAN = {Digest.DAILY: timedelta(days=1), Digest.WEEKLY: timedelta(days=7)}


def period_end(frequency: str, now: datetime) -> datetime:
    """The end of the latest whole period before `now`: today's 00:00 UTC for a day, this
    week's Monday 00:00 UTC for a week."""
    midnight = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    if frequency == Digest.WEEKLY:
        return midnight - timedelta(days=midnight.weekday())
    return midnight


def start_digests(now: datetime | None = None) -> None:
    """For the scheduler: the rounds of the periods that just ended exist, and a run of the
    task is queued while any round is unfinished."""
    now = now or timezone.now()
    for frequency in SPAN:
        DigestRound.objects.get_or_create(
            frequency=frequency, period_end=period_end(frequency, now)
        )
    if DigestRound.objects.filter(finished_at__isnull=True).exists():
        enqueue_unless_waiting(send_digests)


@task()
def send_digests() -> int:
    """Finish every unfinished round; returns how many emails were written."""
    written = 0
    for round_id in DigestRound.objects.filter(finished_at__isnull=True).values_list(
        "pk", flat=True
    ):
        while (step := send_digest_step(round_id)) is not None:
            written += step
    return written


def _subscribers(frequency: str) -> "Q":
    chose = Q(email_preference__digest=frequency)
    if frequency == Digest.WEEKLY:  # the default: no row says weekly too
        chose |= Q(email_preference__isnull=True)
    return chose & ~Q(email_preference__updates=False)


def send_digest_step(round_id: int) -> int | None:
    """One range of fans of a round, in one transaction; None once the round is finished."""
    with transaction.atomic():
        locked = DigestRound.objects.select_for_update().get(pk=round_id)
        if locked.finished_at is not None:
            return None
        low, high = locked.cursor, locked.cursor + settings.FANOUT_CHUNK_FANS
        fans = list(
            User.objects.filter(_subscribers(locked.frequency), pk__gt=low, pk__lte=high)
            .filter(is_active=True)
            .exclude(email="")
            .values_list("pk", flat=True)
        )
        emails = digests(locked, fans) if fans else []
        queue_emails(emails)
        # The next range starts just below the next fan: a gap in the ids costs no step.
        following = User.objects.filter(pk__gt=high).aggregate(first=Min("pk"))["first"]
        if following is None:
            locked.finished_at = timezone.now()
        else:
            locked.cursor = following - 1
        locked.save(update_fields=["cursor", "finished_at"])
    return len(emails)


@dataclass(frozen=True)
class Line:
    text: str  # Markdown, escaped already
    url: str  # a path
    votes: int | None = None  # a top post's, said in the fan's language by _email


def digests(round_: DigestRound, fan_ids: list[int]) -> list[Email]:
    """The emails of these fans for the round (none to a fan with nothing to read)."""
    end = round_.period_end
    start = end - SPAN[Digest(round_.frequency)]
    moved: dict[int, list[Line]] = {}
    for fan_id, message, url in (
        Notification.objects.filter(
            fan_id__in=fan_ids, created_at__gte=start, created_at__lt=end, post__isnull=False
        )
        .order_by("fan_id", "-created_at")
        .values_list("fan_id", "message", "url")
    ):
        lines = moved.setdefault(fan_id, [])
        if len(lines) < MOVED_MAX:
            lines.append(Line(escape_markdown(message), url))
    products: dict[int, list[int]] = {}
    for fan_id, product_id in (
        Subscription.objects.filter(fan_id__in=fan_ids, active=True)
        .values_list("fan_id", "post__product_id")
        .distinct()
        .order_by("fan_id", "post__product_id")
    ):
        products.setdefault(fan_id, []).append(product_id)
    tops = _top_posts(start, end, {p for ids in products.values() for p in ids})
    emails = []
    languages = dict(User.objects.filter(pk__in=fan_ids).values_list("pk", "language"))
    for fan_id in fan_ids:
        theirs = [tops[p] for p in products.get(fan_id, []) if p in tops]
        if not moved.get(fan_id) and not theirs:
            continue
        with in_language(languages.get(fan_id, "")):  # each digest in its fan's language
            subject, body = _email(round_.frequency, moved.get(fan_id, []), theirs[:PRODUCTS_MAX])
        emails.append(Email(f"digest:{round_.pk}:fan:{fan_id}", fan_id, subject, body))
    return emails


def _top_posts(
    start: datetime, end: datetime, product_ids: set[int]
) -> dict[int, tuple[Product, list[Line]]]:
    """The period's most voted new posts of each product (one query per product, on its
    (product, created_at) index); a product with none is left out."""
    tops: dict[int, tuple[Product, list[Line]]] = {}
    for product in Product.objects.filter(pk__in=product_ids).order_by("name"):
        posts = (
            Post.objects.filter(product=product, created_at__gte=start, created_at__lt=end)
            .exclude(status=Status.DUPLICATE)
            .order_by("-votes_count", "-created_at")[:TOP_PER_PRODUCT]
        )
        lines = [
            Line(escape_markdown(post.title), post.get_absolute_url(), post.votes_count)
            for post in posts
        ]
        if lines:
            tops[product.pk] = (product, lines)
    return tops


def _email(
    frequency: str, moved: list[Line], tops: list[tuple[Product, list[Line]]]
) -> tuple[str, str]:
    site = settings.SITE_URL
    if frequency == Digest.DAILY:
        subject, top_heading = gettext("Your day on Orange Friday"), gettext("Today's top posts")
    else:
        subject = gettext("Your week on Orange Friday")
        top_heading = gettext("This week's top posts")
    parts = []
    if moved:
        parts.append("## " + gettext("What moved on the posts you follow"))
        parts += [f"- [{line.text}]({site}{line.url})" for line in moved]
    if tops:
        parts.append(f"## {top_heading}")
        for product, lines in tops:
            parts.append(f"### {escape_markdown(product.local_name)}")
            parts += [f"- [{_said(line)}]({site}{line.url})" for line in lines]
    how_often = site + reverse("accounts:settings") + "#notifications"
    parts.append(gettext("Daily, weekly or never: <%(url)s>") % {"url": how_often})
    return subject, "\n\n".join(parts) + "\n"


def _said(line: Line) -> str:
    if line.votes is None:
        return line.text
    return gettext("%(title)s (%(votes)s votes)") % {"title": line.text, "votes": line.votes}
