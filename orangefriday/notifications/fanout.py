"""A big event told to a big audience (a build's 200,000 voters and followers), in chunks.

The owner of the event says who its audience is, as SQL of (fan_id, post_id) rows for the
fans whose ids are in `%(lo)s < fan_id <= %(hi)s`, and what a fan is told of their posts;
notifications writes one in-app notification per fan and one email per fan listing every
post of theirs (none to a fan who turned these emails off). The owner may add a few lines
under each post of a fan's email (`extras`, e.g. a later app's question with a signed
link). `fan_out` does one range of fans per call, the step of a chunked consumer
(core.events): each call is its own short transaction, which moves the consumer's cursor
with it, so SQLite's write lock is never held for long and a killed worker resumes at the
range it was in. A repeated range writes nothing twice anyway: notifications are unique
per (fan, build), emails per key.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Min
from django.utils import timezone

from orangefriday.accounts.languages import in_language, language_of
from orangefriday.accounts.models import User

from . import sql
from .emails import EMAILS_PER_SENDER, Email, schedule_delivery, write_outbox
from .models import NotificationKind
from .preferences import muted_between


@dataclass(frozen=True)
class Told:
    """One post the audience hears about."""

    post_id: int
    title: str
    url: str  # absolute, for emails
    extra: str = ""  # what this fan's email adds under the post (BigNews.extras)


# Given the chunk's (fan id, post id) pairs, the text that each pair's email adds under the
# post (missing pairs add nothing): one call per chunk and language (active during the
# call), so its owner reads them at once.
Extras = Callable[[list[tuple[int, int]]], dict[tuple[int, int], str]]


@dataclass(frozen=True)
class BigNews:
    event_key: str  # keys the emails: one per fan per event
    kind: NotificationKind
    url: str  # where the notification leads (a path)
    audience: str  # SQL of (fan_id, post_id) rows with %(lo)s < fan_id <= %(hi)s
    posts: list[Told]  # in the order an email lists them
    # A fan's posts -> the bell's line, and the email's subject and body.
    message: Callable[[list[Told]], str]
    email: Callable[[list[Told]], tuple[str, str]]
    build_id: int | None = None
    params: dict[str, Any] = field(default_factory=dict)
    extras: Extras | None = None


def fan_out(news: BigNews, *, after: int | None) -> int | None:
    """Tell the fans of the next id range after `after` (None: from the first fan): one
    query for who they are, one INSERT of their notifications, one of their emails. Returns
    where the next range starts, or None once every fan was covered."""
    low = _before_next_fan(0) if after is None else after
    if low is None:
        return None
    high = low + settings.FANOUT_CHUNK_FANS
    pairs = sql.audience_pairs(
        audience=news.audience, params={**news.params, "lo": low, "hi": high}
    )
    position = {told.post_id: i for i, told in enumerate(news.posts)}
    by_id = {told.post_id: told for told in news.posts}
    # Each fan is told in their own language (README, "Languages and time"), the owner's
    # extras too: the fans of one language together, so that it is switched to a few times
    # a chunk, not once per fan.
    by_language: dict[str, dict[int, tuple[str, list[Told]]]] = {}
    for fan_id, shipped_id, address, setting in pairs:
        if shipped_id in by_id:
            fans = by_language.setdefault(setting, {})
            fans.setdefault(fan_id, (address, []))[1].append(by_id[shipped_id])
    quiet = muted_between(low, high, news.kind)
    notifications, emails = [], []
    for setting, fans in by_language.items():
        language = language_of(setting)
        with in_language(setting):
            if news.extras is not None:
                _add_extras(news.extras, fans)
            for fan_id, (address, theirs) in fans.items():
                theirs.sort(key=lambda told: position[told.post_id])
                post_id = theirs[0].post_id if len(theirs) == 1 else None
                message = news.message(theirs)[:300]
                if fan_id not in quiet.in_app:
                    notifications.append(
                        (
                            fan_id,
                            news.kind.value,
                            news.build_id,
                            post_id,
                            message,
                            news.url,
                            language,
                        )
                    )
                if address and fan_id not in quiet.email:
                    subject, body = news.email(theirs)
                    emails.append(Email(f"{news.event_key}:fan:{fan_id}", fan_id, subject, body))
    now = timezone.now()
    sql.insert_notifications(notifications, now=now)
    if emails:
        write_outbox(emails)
        schedule_delivery(senders=1 + len(emails) // EMAILS_PER_SENDER)
    return _before_next_fan(high)


def _add_extras(extras: Extras, fans: dict[int, tuple[str, list[Told]]]) -> None:
    """Each fan's posts with what `extras` adds for that fan and post."""
    added = extras(
        [(fan_id, told.post_id) for fan_id, (_, theirs) in fans.items() for told in theirs]
    )
    for fan_id, (_, theirs) in fans.items():
        theirs[:] = [
            # Told(...), not dataclasses.replace (9 s of a profiled fan-out of a million pairs).
            Told(told.post_id, told.title, told.url, added[fan_id, told.post_id])
            if (fan_id, told.post_id) in added
            else told
            for told in theirs
        ]


def _before_next_fan(after: int) -> int | None:
    """Just below the first fan id above `after` (so a gap in the ids costs no chunk), or
    None if there is none."""
    first = User.objects.filter(pk__gt=after).aggregate(first=Min("pk"))["first"]
    return None if first is None else first - 1
