"""Trust levels: how a fan earns them (0 new … 3 regular) and what they change.

The rules are plain functions of a fan's figures (`Stats`) and the thresholds (settings,
defaults modelled on Discourse's published ones; README, "Moderation and trust"), tested
without a database. `stats_of` reads the figures; `actions.recompute_trust` stores the
level (the scheduler and the relevant events call it; `could_climb` says which events).

- 1 basic, 2 member: earned and kept (as on Discourse, never lost by inactivity).
- 3 regular: earned over the last TRUST_REGULAR_WINDOW_DAYS, and lost again when the fan
  no longer meets it (inactivity) or has more flags upheld against them than allowed.
- 4 leader: granted (and taken back) by moderators only.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from orangefriday.accounts.models import Role, TrustLevel, User
from orangefriday.board.models import Comment, Post, PostReader
from orangefriday.voting.models import Vote

from .models import FanDay, Flag, FlagState, LogEntry

StrOrPromise = str | Promise


@dataclass(frozen=True)
class Stats:
    """What a fan did: over all time, and within the regular level's window."""

    account_days: float
    days_visited: int
    reading_minutes: int
    posts_read: int
    votes_given: int
    votes_received: int
    replies: int
    replies_received: int
    # Within the window (TRUST_REGULAR_WINDOW_DAYS):
    recent_days_visited: int = 0
    recent_posts_read: int = 0
    recent_posts_created: int = 0  # on the whole site, for the share the fan must read
    recent_replies: int = 0
    recent_votes_given: int = 0
    recent_votes_received: int = 0
    recent_flags_upheld: int = 0
    recently_sanctioned: bool = False


@dataclass(frozen=True)
class Requirement:
    label: StrOrPromise
    have: float
    need: float

    @property
    def met(self) -> bool:
        return self.have >= self.need


@dataclass(frozen=True)
class Limit:
    """A requirement that is an upper bound ("at most 5 flags upheld")."""

    label: StrOrPromise
    have: float
    need: float

    @property
    def met(self) -> bool:
        return self.have <= self.need


def requirements(level: int, s: Stats) -> list[Requirement | Limit]:
    """What `level` asks of a fan, with what they have; a level's list is all that counts
    (a fan at level 0 meeting level 2's list still climbs through 1 first)."""
    if level == TrustLevel.BASIC:
        return [
            Requirement(_("days since joining"), s.account_days, settings.TRUST_BASIC_ACCOUNT_DAYS),
            Requirement(_("posts read"), s.posts_read, settings.TRUST_BASIC_POSTS_READ),
            Requirement(
                _("minutes reading"), s.reading_minutes, settings.TRUST_BASIC_READING_MINUTES
            ),
        ]
    if level == TrustLevel.MEMBER:
        return [
            Requirement(_("days visited"), s.days_visited, settings.TRUST_MEMBER_DAYS_VISITED),
            Requirement(_("posts read"), s.posts_read, settings.TRUST_MEMBER_POSTS_READ),
            Requirement(
                _("minutes reading"), s.reading_minutes, settings.TRUST_MEMBER_READING_MINUTES
            ),
            Requirement(_("votes given"), s.votes_given, settings.TRUST_MEMBER_VOTES_GIVEN),
            Requirement(
                _("votes received"), s.votes_received, settings.TRUST_MEMBER_VOTES_RECEIVED
            ),
            Requirement(_("comments written"), s.replies, settings.TRUST_MEMBER_REPLIES),
            Requirement(
                _("replies received"), s.replies_received, settings.TRUST_MEMBER_REPLIES_RECEIVED
            ),
        ]
    if level == TrustLevel.REGULAR:
        to_read = min(
            round(s.recent_posts_created * settings.TRUST_REGULAR_POSTS_READ_SHARE),
            settings.TRUST_REGULAR_POSTS_READ_MAX,
        )
        return [
            Requirement(
                _("days visited in the last %(days)s days")
                % {"days": settings.TRUST_REGULAR_WINDOW_DAYS},
                s.recent_days_visited,
                settings.TRUST_REGULAR_DAYS_VISITED,
            ),
            Requirement(_("posts read lately"), s.recent_posts_read, to_read),
            Requirement(
                _("comments written lately"), s.recent_replies, settings.TRUST_REGULAR_REPLIES
            ),
            Requirement(
                _("votes given lately"), s.recent_votes_given, settings.TRUST_REGULAR_VOTES_GIVEN
            ),
            Requirement(
                _("votes received lately"),
                s.recent_votes_received,
                settings.TRUST_REGULAR_VOTES_RECEIVED,
            ),
            Limit(
                _("flags upheld against you lately"),
                s.recent_flags_upheld,
                settings.TRUST_REGULAR_MAX_FLAGS_UPHELD,
            ),
            Limit(_("silences or suspensions lately"), int(s.recently_sanctioned), 0),
        ]
    return []


def meets(level: int, s: Stats) -> bool:
    return all(r.met for r in requirements(level, s))


def earned_level(s: Stats, *, current: int) -> int:
    """The level a fan's figures give them, from their `current` one: climbing one level
    at a time; basic and member are kept once earned, regular only while it is met; a
    leader stays a leader (moderators decide)."""
    if current == TrustLevel.LEADER:
        return current
    level = min(current, TrustLevel.MEMBER)  # what is kept; regular is earned again
    for step in (TrustLevel.BASIC, TrustLevel.MEMBER, TrustLevel.REGULAR):
        if step <= level:
            continue
        if not meets(step, s):
            break
        level = step
    return level


def next_level(level: int) -> int | None:
    """The level a fan can earn next (None at regular and above: leaders are chosen)."""
    return level + 1 if level < TrustLevel.REGULAR else None


def could_climb(level: int, figures: Iterable[str]) -> bool:
    """Whether more of these figures (names of Stats' fields) can bring a fan at `level` to
    the next one: only if that level's requirements read one of them. A comment cannot
    make a new fan basic (basic asks for days and reading), so nothing is counted for it.
    Asked of the requirements themselves, so no second list of what each level needs."""
    step = next_level(level)
    if step is None:
        return False
    zeros: dict[str, Any] = {field.name: 0 for field in fields(Stats)}
    nothing = Stats(**zeros)
    ones: dict[str, Any] = dict.fromkeys(figures, 1)
    more = replace(nothing, **ones)
    have = [r.have for r in requirements(step, nothing)]
    return have != [r.have for r in requirements(step, more)]


_written: dict[date, int] = {}


def posts_written_since(since: datetime) -> int:
    """Posts written on the site since `since`, counted once a day per process: the same
    figure for every fan of a round, and a count over a million rows only once."""
    day = since.date()
    if day not in _written:
        _written.clear()
        _written[day] = Post.objects.filter(created_at__gte=since).count()
    return _written[day]


def forget_counts() -> None:
    """Tests: count afresh."""
    _written.clear()


def stats_of(fan: User, *, now: datetime) -> Stats:
    """A fan's figures, read from the rows (a handful of counts on indexed columns)."""
    since = now - timedelta(days=settings.TRUST_REGULAR_WINDOW_DAYS)
    days = FanDay.objects.filter(fan=fan)
    others_votes = Vote.objects.filter(post__author=fan).exclude(fan=fan)
    others_comments = Comment.objects.filter(post__author=fan).exclude(author=fan)
    reads = PostReader.objects.filter(fan=fan)
    sanctions = LogEntry.objects.filter(fan=fan, action__in=["silence", "suspend", "block"])
    return Stats(
        account_days=(now - fan.date_joined).total_seconds() / 86400,
        days_visited=days.count(),
        reading_minutes=(days.aggregate(s=Sum("seconds"))["s"] or 0) // 60,
        posts_read=reads.count(),
        votes_given=Vote.objects.filter(fan=fan).count(),
        votes_received=others_votes.count(),
        replies=Comment.objects.filter(author=fan).count(),
        replies_received=others_comments.count(),
        recent_days_visited=days.filter(day__gte=since.date()).count(),
        recent_posts_read=reads.filter(first_read_at__gte=since).count(),
        recent_posts_created=posts_written_since(since),
        recent_replies=Comment.objects.filter(author=fan, created_at__gte=since).count(),
        recent_votes_given=Vote.objects.filter(fan=fan, created_at__gte=since).count(),
        recent_votes_received=others_votes.filter(created_at__gte=since).count(),
        recent_flags_upheld=Flag.objects.filter(
            author=fan, state=FlagState.UPHELD, created_at__gte=since
        ).count(),
        recently_sanctioned=sanctions.filter(
            created_at__gte=now - timedelta(days=settings.TRUST_REGULAR_SANCTION_DAYS)
        ).exists(),
    )


# What trust changes besides: each fan limit's share (accounts.standing reads the stored
# level), and the weight of a fan's flag.
def flag_weight(level: int, *, upheld: int, rejected: int) -> float:
    """A flag weighs its flagger's trust (MODERATION_FLAG_WEIGHTS, one per level) times
    their standing as a flagger: upheld flags raise it, rejected ones lower it (between
    half and double)."""
    weights = settings.MODERATION_FLAG_WEIGHTS
    base = weights[min(level, len(weights) - 1)]
    standing = min(max((1 + upheld) / (1 + rejected), 0.5), 2.0)
    return round(base * standing, 3)


LINK_OR_IMAGE = re.compile(r"https?://|www\.|\]\(|<img|<a\s", re.IGNORECASE)


def hold_new_fans_links(*, author: User, text: str, images: int = 0) -> str:
    """board's hold rule: a level-0 fan's first TRUST_HOLD_FIRST_POSTS posts wait for
    review when they carry a link or an image, in the text or attached (a spammer's first
    move)."""
    if author.trust_level != TrustLevel.NEW or author.role != Role.FAN or author.is_superuser:
        return ""
    if not settings.TRUST_HOLD_FIRST_POSTS or not (images or LINK_OR_IMAGE.search(text)):
        return ""
    if Post.objects.filter(author=author).count() >= settings.TRUST_HOLD_FIRST_POSTS:
        return ""
    return str(_("links or images in a new fan's first posts"))
