"""Casting and withdrawing votes, and the trending window.

A vote and the counters it changes (votes_count, trending_votes, hot_score, the weighted
counts and the best scores on the post) are written in one transaction, with the post's row
locked, so the stored counts always equal what the vote and reader rows add up to, whatever
the concurrency. A vote makes its fan a reader of the post (once), with the weight her vote
carries (ranking.best.activity_weight).
"""

from collections.abc import Iterable
from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext

from orangefriday.accounts.limits import check_fan_write, check_not_silenced
from orangefriday.accounts.models import User
from orangefriday.board.models import Post, PostMerge, PostReader, Status, StatusChange
from orangefriday.board.permissions import can_moderate
from orangefriday.board.rules import check_post_rules
from orangefriday.board.scoring import rescore, scores
from orangefriday.core.errors import Conflict
from orangefriday.core.events import record
from orangefriday.core.text import render_markdown
from orangefriday.notifications.following import copy_followers, subscribe
from orangefriday.ranking.best import (
    BURST_UNTRUSTED_VOTES,
    BURST_WINDOW,
    activity_weight,
    burst_goes_on,
    is_burst,
    is_trusted,
)
from orangefriday.ranking.scores import counts_as_trending, hot_score, trending_cutoff

from . import sql
from .models import TrendingWindow, Vote


class VoteRefused(Conflict):
    """The post takes no votes (it was merged into another, or it is not shown)."""


# Until the window first moves, every vote ever cast is counted (each one added 1).
WINDOW_START = datetime(2000, 1, 1, tzinfo=UTC)


def _locked_trending_window() -> TrendingWindow:
    """The window row, created if need be, locked until the caller's transaction ends."""
    TrendingWindow.objects.get_or_create(pk=1, defaults={"counted_after": WINDOW_START})
    return TrendingWindow.objects.select_for_update().get(pk=1)


def _store(post: Post, trending_delta: int) -> None:
    """Store the locked post's counts as they now are, with the scores they give."""
    sql.set_counts(
        post=post,
        hot_score=hot_score(post.votes_count, post.created_at),
        trending_delta=trending_delta,
        **scores(
            weighted_votes=post.weighted_votes,
            weighted_readers=post.weighted_readers,
            typical=post.product.typical,
        ),
    )


def _check_burst(post: Post, now: datetime) -> None:
    """After an untrusted vote: when the post's last hour is now a burst, weigh 0 the
    untrusted votes and reads of that hour, and those of the hour to come."""
    since = now - BURST_WINDOW
    untrusted = sql.votes_since(post_id=post.pk, since=since, trusted=False)
    if untrusted < BURST_UNTRUSTED_VOTES:  # the usual case: no need to count the others
        return
    trusted = sql.votes_since(post_id=post.pk, since=since, trusted=True)
    if is_burst(untrusted_votes_last_hour=untrusted, trusted_votes_last_hour=trusted):
        post.weighted_votes, post.weighted_readers = sql.silence_untrusted_since(
            post_id=post.pk, since=since
        )
        post.burst_until = now + BURST_WINDOW


def note_milestones(post: Post, before: int, after: int) -> None:
    """Record `post.votes_reached` for each of settings.VOTE_MILESTONES the post's count
    rose to or past (inside the caller's transaction). A vote is otherwise no event: this
    is rare (a post's count crosses a milestone a handful of times in its life), so the vote
    stays one short transaction. A count that falls and rises again crosses it again; the
    consumers count a milestone once per post."""
    for votes in settings.VOTE_MILESTONES:
        if before < votes <= after:
            record("post.votes_reached", subject=post, votes=votes)


def cast_vote(*, fan: User, post_id: int) -> Post:
    """Vote for a post, which makes the fan its reader too. Voting again changes nothing.
    Returns the post with its new counts (a Post holding only what `sql.locked_post` reads).
    The fan's limit for votes applies (RateLimited), also to a vote that was already
    there."""
    now = timezone.now()
    with transaction.atomic():
        # The fan's counters in the vote's own transaction (one commit, not two), and
        # before the post's lock: a vote refused over the limit never waits for the post.
        check_fan_write(fan=fan, action="vote")
        post = sql.locked_post(post_id)
        if post.status == Status.DUPLICATE:
            raise VoteRefused("This post was merged into another one; vote there instead.")
        if not post.accepts_votes:
            raise VoteRefused("This post is not shown on the board; it takes no votes.")
        level = fan.trust_level
        weight = activity_weight(trust_level=level, in_burst=burst_goes_on(post.burst_until, now))
        # Had she read it before, her vote weighs what her reading does.
        new_reader, level, weight, voted = sql.read_and_vote(
            post_id=post.pk, fan_id=fan.pk, now=now, trust_level=level, weight=weight
        )
        if new_reader:
            post.readers_count += 1
            post.weighted_readers += weight
        if voted:
            post.votes_count += 1
            note_milestones(post, post.votes_count - 1, post.votes_count)
            post.weighted_votes += weight
            if not is_trusted(level) and not burst_goes_on(post.burst_until, now):
                _check_burst(post, now)
            subscribe(fan_id=fan.pk, post_id=post.pk)
        if voted or new_reader:
            _store(post, trending_delta=1 if voted else 0)
    return post


def withdraw_vote(*, fan: User, post_id: int) -> Post:
    """Take a vote back (the fan stays a reader). Withdrawing a vote that is not there
    changes nothing. A silenced fan's votes are not counted, so they are not withdrawn
    either until the silence ends."""
    check_not_silenced(fan)
    with transaction.atomic():
        post = sql.locked_post(post_id)
        # No lock needed on the window: expire_trending_votes locks this post before it
        # counts the post's expired votes, so one of the two always sees the other's work.
        window = TrendingWindow.objects.filter(pk=1).first()
        vote = Vote.objects.filter(post_id=post.pk, fan=fan).first()
        if vote is not None:
            vote.delete()
            counted = window is None or counts_as_trending(vote.created_at, window.counted_after)
            post.votes_count -= 1
            post.weighted_votes = max(post.weighted_votes - vote.weight, 0.0)
            _store(post, trending_delta=-1 if counted else 0)
    return post


def expire_trending_votes(*, now: datetime) -> int:
    """Move the trending window to `now`: subtract the votes that are now older than 7 days.

    Touches only the votes that fell out since the last move (an index range on created_at),
    never all posts. Returns how many votes were subtracted.
    """
    new_cutoff = trending_cutoff(now)
    with transaction.atomic():
        window = _locked_trending_window()
        if new_cutoff <= window.counted_after:
            return 0
        expired = Vote.objects.filter(
            created_at__gt=window.counted_after, created_at__lte=new_cutoff
        )
        post_ids = set(expired.values_list("post_id", flat=True))
        # Lock the posts (in id order, as one statement) before counting: a withdrawal that
        # holds a post's lock finishes first, and its deleted vote is then not counted here.
        list(Post.objects.select_for_update().filter(pk__in=post_ids).order_by("pk").values("pk"))
        total = 0
        for row in expired.values("post_id").annotate(n=Count("id")).order_by():
            Post.objects.filter(pk=row["post_id"]).update(
                trending_votes=F("trending_votes") - row["n"]
            )
            total += row["n"]
        window.counted_after = new_cutoff
        window.save(update_fields=["counted_after"])
    return total


def counted_votes() -> QuerySet[Vote]:
    """The votes that count: not those of a fan silenced now (moderation's silence; their
    votes count again once it ends and the posts are recounted)."""
    silenced = User.objects.filter(silenced_until__gt=timezone.now()).values("pk")
    return Vote.objects.exclude(fan_id__in=silenced)


def recount_votes(*, post_ids: Iterable[int]) -> None:
    """Set the stored counters and scores of these posts from their vote and reader rows,
    making every voter a reader first.

    For bulk loads (the demo community, generated benchmarks) that insert vote rows
    directly, for a merge, which adds the duplicate's rows to the original's, and for a
    fan's silence beginning or ending (moderation).
    """
    post_ids = list(post_ids)
    with transaction.atomic():
        window = _locked_trending_window()
        posts = list(
            Post.objects.select_for_update()
            .filter(pk__in=post_ids)
            .order_by("pk")
            .only("id", "created_at", "votes_count")
        )
        sql.make_voters_readers(post_ids=[post.pk for post in posts])
        votes = counted_votes().filter(post_id__in=post_ids).values("post_id").order_by()
        totals = {
            row["post_id"]: row
            for row in votes.annotate(
                n=Count("id"),
                w=Sum("weight"),
                t=Count("id", filter=Q(created_at__gt=window.counted_after)),
            )
        }
        readers = {
            row["post_id"]: row
            for row in PostReader.objects.filter(post_id__in=post_ids)
            .values("post_id")
            .order_by()
            .annotate(n=Count("id"), w=Sum("weight"))
        }
        nothing = {"n": 0, "w": 0.0, "t": 0}
        for post in posts:
            voted, read = totals.get(post.pk, nothing), readers.get(post.pk, nothing)
            Post.objects.filter(pk=post.pk).update(
                votes_count=voted["n"],
                trending_votes=voted["t"],
                hot_score=hot_score(voted["n"], post.created_at),
                readers_count=read["n"],
                weighted_votes=voted["w"] or 0.0,
                weighted_readers=read["w"] or 0.0,
            )
            note_milestones(post, post.votes_count, voted["n"])
        rescore([post.pk for post in posts])


def merge_posts(*, by: User, duplicate: Post, original: Post, note: str = "") -> PostMerge:
    """Merge a duplicate into its original: the original's voters and readers become the
    union of both (a fan who voted on or read both counts once, with the original's
    weight), the duplicate's followers follow the original,
    and the duplicate points to the original and takes no more votes."""
    if not can_moderate(by, duplicate.product):
        raise PermissionDenied("Only engineers of this product and moderators merge posts.")
    if duplicate.pk == original.pk:
        raise ValidationError({"original": gettext("A post cannot be merged into itself.")})
    if duplicate.product_id != original.product_id:
        raise ValidationError({"original": gettext("Both posts must be on the same board.")})
    check_post_rules(by=by, post=duplicate, change="merge")
    check_post_rules(by=by, post=original, change="merge_into")
    with transaction.atomic():
        first, second = sorted([duplicate.pk, original.pk])
        locked = {p.pk: p for p in Post.objects.select_for_update().filter(pk__in=[first, second])}
        dup, orig = locked[duplicate.pk], locked[original.pk]
        if Status.DUPLICATE in (dup.status, orig.status):
            raise ValidationError(
                {"original": gettext("One of these posts is already a duplicate.")}
            )
        moved = sql.copy_votes(from_post_id=dup.pk, to_post_id=orig.pk)
        sql.copy_readers(from_post_id=dup.pk, to_post_id=orig.pk)
        recount_votes(post_ids=[orig.pk])
        copy_followers(from_post_id=dup.pk, to_post_id=orig.pk)
        merge = PostMerge.objects.create(duplicate=dup, original=orig, by=by, votes_moved=moved)
        message = f"Merged into “{orig.title}”"
        note = note.strip() or f"{message}: [#{orig.pk}]({orig.get_absolute_url()})"
        StatusChange.objects.create(
            post=dup,
            by=by,
            from_status=dup.status,
            to_status=Status.DUPLICATE,
            note=note,
            note_html=render_markdown(note),
        )
        Post.objects.filter(pk=dup.pk).update(
            status=Status.DUPLICATE, merged_into=orig, updated_at=timezone.now()
        )
        record(
            "post.merged",
            subject=dup,
            actor=by,
            merge_id=merge.pk,
            original_id=orig.pk,
            title=dup.title,
            original_title=orig.title,
            url=orig.get_absolute_url(),
            votes_moved=moved,
        )
    duplicate.status, duplicate.merged_into = Status.DUPLICATE, original
    return merge
