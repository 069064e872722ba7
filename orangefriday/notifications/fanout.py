"""A big event told to a big audience (a build's 200,000 voters and followers), in chunks.

The owner of the event says who its audience is, as SQL of (fan_id, post_id) rows for the
fans whose ids are in `%(lo)s < fan_id <= %(hi)s`; notifications writes one in-app
notification per fan (naming their post, or counting their posts) and one email per fan
listing every post of theirs. `fan_out` does one range of fans per call, the step of a
chunked consumer (core.events): each call is its own short transaction, which moves the
consumer's cursor with it, so SQLite's write lock is never held for long and a killed
worker resumes at the range it was in. A repeated range writes nothing twice anyway:
notifications are unique per (fan, build), emails per key.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Min
from django.utils import timezone

from orangefriday.accounts.models import User

from . import sql
from .emails import EMAILS_PER_SENDER, Email, schedule_delivery, write_outbox
from .models import NotificationKind


@dataclass(frozen=True)
class Told:
    """One post the audience hears about."""

    post_id: int
    title: str
    url: str  # absolute, for emails


@dataclass(frozen=True)
class BigNews:
    event_key: str  # keys the emails: one per fan per event
    kind: NotificationKind
    url: str  # where the notification leads (a path)
    audience: str  # SQL of (fan_id, post_id) rows with %(lo)s < fan_id <= %(hi)s
    posts: list[Told]  # in the order an email lists them
    # The bell's line: before + title + after for one post, count + plural for several.
    before_title: str
    after_title: str
    plural: str
    # A fan's posts -> the email's subject and body.
    email: Callable[[list[Told]], tuple[str, str]]
    build_id: int | None = None
    params: dict[str, Any] = field(default_factory=dict)


def fan_out(news: BigNews, *, after: int | None) -> int | None:
    """Tell the fans of the next id range after `after` (None: from the first fan);
    returns where the next range starts, or None once every fan was covered."""
    low = _before_next_fan(0) if after is None else after
    if low is None:
        return None
    high = low + settings.FANOUT_CHUNK_FANS
    params = {**news.params, "lo": low, "hi": high}
    sql.insert_grouped_notifications(
        audience=news.audience,
        params=params,
        kind=news.kind.value,
        build_id=news.build_id,
        url=news.url,
        before_title=news.before_title,
        after_title=news.after_title,
        after_count=news.plural,
        now=timezone.now(),
    )
    by_id = {told.post_id: (position, told) for position, told in enumerate(news.posts)}
    emails = []
    for fan_id, post_ids in sql.email_pairs(audience=news.audience, params=params):
        posts = [told for _, told in sorted(by_id[p] for p in post_ids if p in by_id)]
        if posts:
            subject, body = news.email(posts)
            emails.append(Email(f"{news.event_key}:fan:{fan_id}", fan_id, subject, body))
    if emails:
        write_outbox(emails)
        schedule_delivery(senders=1 + len(emails) // EMAILS_PER_SENDER)
    return _before_next_fan(high)


def _before_next_fan(after: int) -> int | None:
    """Just below the first fan id above `after` (so a gap in the ids costs no chunk), or
    None if there is none."""
    first = User.objects.filter(pk__gt=after).aggregate(first=Min("pk"))["first"]
    return None if first is None else first - 1
