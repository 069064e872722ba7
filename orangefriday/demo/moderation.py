"""Moderation in the demo: fans at every trust level (earned from visits, reads, votes and
comments by the same rules as anyone's), a few flagged and held posts waiting in the queue,
and a moderation log with the decisions of the past weeks, so that a moderator logging in
on `make run` (mo) has work to do; and a few good posts featured by mo (their authors earn
the featured points; the board's "Featured only" filter lists them)."""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password

from orangefriday.accounts.models import Role, TrustLevel, User
from orangefriday.board.actions import add_comment, create_post
from orangefriday.board.models import Post, PostReader, Product
from orangefriday.core.events import dispatch
from orangefriday.demo.content import PASSWORD
from orangefriday.moderation.actions import (
    decide,
    feature,
    flag_item,
    recompute_trust,
    set_leader,
    suspend,
)
from orangefriday.moderation.models import FanDay, LogEntry, Review
from orangefriday.voting.actions import cast_vote

# Accounts of the demo's troublemakers (they join the demo's usernames).
SPAMMER = "best_deals_4u"
SPAMMER_TOO = "follow4follow_cn"
RECOVERY_SPAMMER = "data_rescue_pro"
TROLL = "grumpy_gus"
TROUBLEMAKERS = [SPAMMER, SPAMMER_TOO, RECOVERY_SPAMMER, TROLL]
# A basic fan one comment short of member: one more, and the profile says member.
NEARLY_MEMBER = "nearly_member"
USERNAMES = [*TROUBLEMAKERS, NEARLY_MEMBER]
LEADERS = 2  # the most active fans, made leaders by the moderator
FEATURED = 2  # per product: its fans' most voted posts, featured by the moderator

SPAM_POSTS = [
    (
        SPAMMER,
        "Cheap recorder microphones, 70% off today only",
        "Best lavalier mics for interviews!!! Order now at https://deals.example/mics "
        "and get a free case.",
    ),
    (
        RECOVERY_SPAMMER,
        "Recover deleted recordings with this app",
        "![screenshot](https://deals.example/recover.png) Works on every phone, "
        "download at https://deals.example/recover",
    ),
]
HIDDEN_SPAM = (
    SPAMMER_TOO,
    "互粉互赞 关注我马上回关",
    "加我微信 领取会员 私信我",
)


@dataclass(frozen=True)
class ModerationCounts:
    levels: dict[int, int]
    queue: int
    log: int


def _visit(fan: User, *, days: int, minutes: int, now: datetime, rng: random.Random) -> None:
    """`days` visits spread over the last 100 days, about `minutes` each."""
    picked = sorted(rng.sample(range(100), min(days, 100)))
    FanDay.objects.bulk_create(
        FanDay(
            fan=fan,
            day=(now - timedelta(days=back)).date(),
            seconds=int(minutes * 60 * rng.uniform(0.6, 1.4)),
        )
        for back in picked
    )


def _read(fan: User, posts: list[int], count: int, now: datetime, rng: random.Random) -> None:
    chosen = rng.sample(posts, min(count, len(posts)))
    PostReader.objects.bulk_create(
        (
            PostReader(post_id=pk, fan=fan, first_read_at=now - timedelta(days=rng.uniform(0, 90)))
            for pk in chosen
        ),
        ignore_conflicts=True,
    )


def earn_levels(*, rng: random.Random, now: datetime, fans: list[User]) -> None:
    """Most fans visit now and then, some every other day, a few barely: their levels
    follow from that and from what they wrote and voted in the demo."""
    posts = list(Post.objects.visible().values_list("pk", flat=True))
    for rank, fan in enumerate(fans):
        share = rank / max(len(fans) - 1, 1)
        if share < 0.25:  # the regulars of the forum
            _visit(fan, days=rng.randint(55, 80), minutes=25, now=now, rng=rng)
            _read(fan, posts, len(posts) // 2, now, rng)
        elif share < 0.7:
            _visit(fan, days=rng.randint(16, 40), minutes=12, now=now, rng=rng)
            _read(fan, posts, rng.randint(25, 60), now, rng)
        else:
            _visit(fan, days=rng.randint(1, 6), minutes=5, now=now, rng=rng)
            _read(fan, posts, rng.randint(5, 15), now, rng)
    for fan in fans:
        # Levels are earned from nothing, as on a new forum: the loader's starting level
        # (members, so that the history's writes are not limited) is not kept.
        fan.trust_level = TrustLevel.NEW
        recompute_trust(fan, now=now)


def _nearly_member(*, rng: random.Random, now: datetime, friend: User) -> User:
    """A fan of three weeks who visited, read, voted, was voted for and replied to, and
    wrote two comments of the three member asks: logging in as them (the demo password)
    and commenting once makes them a member as soon as the worker handles the comment
    (moderation.consumers), not at the scheduler's next round."""
    fan, _ = User.objects.get_or_create(
        username=NEARLY_MEMBER,
        defaults={
            "email": f"{NEARLY_MEMBER}@example.org",
            "role": Role.FAN,
            "password": make_password(PASSWORD),
            "date_joined": now - timedelta(days=21),
            "email_verified_at": now - timedelta(days=21),
        },
    )
    recorder = Product.objects.get(slug="sound-recorder")
    posts = list(
        Post.objects.visible().filter(product=recorder).exclude(author=friend).order_by("pk")
    )
    _visit(fan, days=16, minutes=12, now=now, rng=rng)
    _read(fan, [p.pk for p in posts], 25, now, rng)
    cast_vote(fan=fan, post_id=posts[0].pk)
    own = create_post(
        author=fan,
        product=recorder,
        kind="idea",
        title="Show the recording level on the lock screen",
        limited=False,
    )
    cast_vote(fan=friend, post_id=own.pk)
    add_comment(author=friend, post=own, body="Yes, I check it all the time.", limited=False)
    for post, body in zip(posts[1:3], ("Same here.", "This would help me a lot."), strict=True):
        add_comment(author=fan, post=post, body=body, limited=False)
    recompute_trust(fan, now=now)
    return fan


def _accounts(now: datetime) -> dict[str, User]:
    password = make_password(None)  # no one logs in as them
    users = {}
    for username in TROUBLEMAKERS:
        users[username], _ = User.objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@spam.example",
                "role": Role.FAN,
                "password": password,
                "date_joined": now - timedelta(hours=3),
                "email_verified_at": now - timedelta(hours=3),
            },
        )
    return users


def _leaders(fans: list[User]) -> list[User]:
    """The fans the moderator makes leaders: the regulars and then the members, most active
    first (`fans` is in that order), leaving one regular a regular so that the demo shows
    every level; how many fans earn each level depends on the week's day."""
    regulars = [f for f in fans if f.trust_level == TrustLevel.REGULAR]
    members = [f for f in fans if f.trust_level == TrustLevel.MEMBER]
    return ([*regulars[:-1], *members] or fans)[:LEADERS]


def load_moderation(*, rng: random.Random, now: datetime, fans: list[User]) -> ModerationCounts:
    earn_levels(rng=rng, now=now, fans=fans)
    mo = User.objects.get(username="mo")
    for fan in _leaders(fans):
        set_leader(by=mo, fan=fan, leader=True)
    # Flaggers: trusted fans (members and regulars), a different one for each flag.
    trusted = [f for f in fans if TrustLevel.MEMBER <= f.trust_level < TrustLevel.LEADER]
    members = [trusted[i % len(trusted)] for i in range(6)] if trusted else fans[:6]
    recorder = Product.objects.get(slug="sound-recorder")
    users = _accounts(now)

    # A new fan's first links wait for review (the hold of trust level 0).
    for username, title, body in SPAM_POSTS:
        create_post(author=users[username], product=recorder, kind="idea", title=title, body=body)

    # Flagged by trusted fans: hidden by a moderator, its author silenced (the log).
    author, title, body = HIDDEN_SPAM
    miui = Product.objects.get(slug="miui")
    spam = create_post(
        author=users[author], product=miui, kind="discussion", title=title, body=body
    )
    for fan in members[:2]:
        flag_item(flagger=fan, post=spam, reason="spam")
    decide(
        by=mo,
        review=Review.objects.get(post=spam, state=Review.State.OPEN),
        decision="hide_and_silence",
        reason="spam: a link to buy followers",
        until=now + timedelta(days=30),
    )

    # A rude reply, flagged, waiting for a decision; its author has a history.
    target = Post.objects.visible().filter(product=recorder).order_by("-votes_count").first()
    assert target is not None
    rude = add_comment(
        author=users[TROLL],
        post=target,
        body="Only an idiot records interviews on a phone. Buy a real recorder.",
        limited=False,
    )
    for fan in members[2:4]:
        flag_item(flagger=fan, post=target, comment=rude, reason="abusive")
    suspend(
        by=mo,
        fan=users[TROLL],
        until=now + timedelta(days=3),
        reason="insults in three threads",
    )

    # An off-topic post and a duplicate, flagged by fans, waiting too.
    off_topic = (
        Post.objects.visible()
        .filter(product=recorder, kind="discussion")
        .exclude(author=members[4])
        .order_by("votes_count", "pk")
        .first()
    )
    if off_topic is not None:
        flag_item(
            flagger=members[4],
            post=off_topic,
            reason="other",
            text="This is about the camera app, not the recorder.",
        )
    ideas = list(Post.objects.visible().filter(product=recorder, kind="idea").order_by("-pk")[:2])
    if len(ideas) == 2 and members[5].pk not in (ideas[0].author_id, ideas[1].author_id):
        flag_item(flagger=members[5], post=ideas[0], reason="duplicate", original=ideas[1])
    for product in Product.objects.order_by("pk"):
        best = (
            Post.objects.visible()
            .filter(product=product, author__role=Role.FAN)
            .order_by("-votes_count", "pk")[:FEATURED]
        )
        for post in best:
            feature(by=mo, post=post)
    _nearly_member(rng=rng, now=now, friend=members[0])
    dispatch()  # the held posts enter the queue (moderation.consumers)
    return ModerationCounts(
        levels={
            level: User.objects.filter(trust_level=level, role=Role.FAN).count()
            for level in TrustLevel.values
        },
        queue=Review.objects.filter(state=Review.State.OPEN).count(),
        log=LogEntry.objects.count(),
    )
