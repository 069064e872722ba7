"""In-app notifications (the bell) and telling a few fans at once: the followers of a post,
the engineers of a product. Consumers of events call these inside the dispatcher's
transaction (core.events), so each event's notifications are written once."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import timezone

from orangefriday.accounts.languages import in_fan_zone, in_language, language_of
from orangefriday.accounts.models import User

from .emails import BATCH_SIZE, Email, chunks, queue_emails
from .models import Notification, NotificationKind
from .preferences import muted
from .queries import follower_ids


@dataclass(frozen=True)
class News:
    """What a fan is told: the bell's line and link, and the email."""

    kind: NotificationKind
    message: str
    url: str  # a path on this site
    email_subject: str
    email_body: str  # Markdown: sent as its HTML and as itself, the plain-text part
    post_id: int | None = None
    text: str = ""  # what was said, quoted under the bell's line


def tell(*, fan_ids: Iterable[int], news: News | Callable[[], News], event_key: str) -> int:
    """Tell these fans (the active ones) in-app and by email, each as far as their choices
    for this kind allow; the emails are keyed by `event_key` and fan, so each exists once.
    Given as a function, the news is worded once per language and time zone, in each
    fan's own (their settings: a time it shows is the fan's local time); the kind is the
    same in every wording. Returns how many fans were told
    in-app."""
    told = 0
    emails: list[Email] = []
    worded: dict[tuple[str, str], News] = {}

    def said(language: str, zone: str) -> News:
        if not callable(news):
            return news
        if (language, zone) not in worded:
            with in_language(language), in_fan_zone(zone):
                worded[language, zone] = news()
        return worded[language, zone]

    for chunk in chunks(fan_ids, BATCH_SIZE):
        fans = list(
            User.objects.filter(pk__in=chunk, is_active=True).values_list(
                "pk", "email", "language", "time_zone"
            )
        )
        if not fans:
            continue
        quiet = muted([fan[0] for fan in fans], said(fans[0][2], fans[0][3]).kind)
        rows = [
            Notification(
                fan_id=fan_id,
                kind=said(language, zone).kind,
                post_id=said(language, zone).post_id,
                message=said(language, zone).message[:300],
                language=language_of(language) if callable(news) else "",
                text=said(language, zone).text[:300],
                url=said(language, zone).url,
            )
            for fan_id, _, language, zone in fans
            if fan_id not in quiet.in_app
        ]
        Notification.objects.bulk_create(rows)
        emails += [
            Email(
                f"{event_key}:fan:{fan_id}",
                fan_id,
                said(language, zone).email_subject,
                said(language, zone).email_body,
            )
            for fan_id, address, language, zone in fans
            if address and fan_id not in quiet.email
        ]
        told += len(rows)
    queue_emails(emails)
    return told


def tell_followers(
    *, post_id: int, news: News | Callable[[], News], event_key: str, exclude: Iterable[int]
) -> int:
    """Tell every follower of the post but the `exclude`d fans."""
    skip = set(exclude)
    return tell(
        fan_ids=(fan_id for fan_id in follower_ids(post_id) if fan_id not in skip),
        news=news,
        event_key=event_key,
    )


def mark_read(*, fan: User, notification_id: int) -> Notification:
    """Mark one of the fan's notifications read; another fan's is Notification.DoesNotExist."""
    notification = Notification.objects.get(pk=notification_id, fan=fan)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def mark_all_read(*, fan: User) -> int:
    """Mark every unread notification of the fan read; returns how many were unread."""
    return Notification.objects.filter(fan=fan, read_at__isnull=True).update(read_at=timezone.now())
