"""Casting and withdrawing votes, and the trending window.

A vote and the counters it changes (votes_count, trending_votes, hot_score on the post) are
written in one transaction, with the post's row locked, so the stored count always equals
the number of vote rows, whatever the concurrency.
"""

from datetime import UTC, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from orangefriday.accounts.limits import check_fan_write
from orangefriday.accounts.models import User
from orangefriday.board.models import Post, PostMerge, Status, StatusChange
from orangefriday.board.permissions import can_moderate
from orangefriday.board.rules import check_post_rules
from orangefriday.core.errors import Conflict
from orangefriday.core.events import record
from orangefriday.core.text import render_markdown
from orangefriday.notifications.following import copy_followers, subscribe
from orangefriday.ranking.scores import counts_as_trending, hot_score, trending_cutoff

from . import sql
from .models import TrendingWindow, Vote


class VoteRefused(Conflict):
    """The post takes no votes (it was merged into another)."""


# Until the window first moves, every vote ever cast is counted (each one added 1).
WINDOW_START = datetime(2000, 1, 1, tzinfo=UTC)


def _locked_trending_window() -> TrendingWindow:
    """The window row, created if need be, locked until the caller's transaction ends."""
    TrendingWindow.objects.get_or_create(pk=1, defaults={"counted_after": WINDOW_START})
    return TrendingWindow.objects.select_for_update().get(pk=1)


def _set_votes(post: Post, votes: int, trending_delta: int) -> None:
    sql.set_counts(
        post_id=post.pk,
        votes=votes,
        hot_score=hot_score(votes, post.created_at),
        trending_delta=trending_delta,
    )
    post.votes_count = votes


def cast_vote(*, fan: User, post_id: int) -> Post:
    """Vote for a post. Voting again changes nothing. Returns the post with its new count
    (a Post holding only its id, created_at, votes_count and status). The fan's limit for
    votes applies (RateLimited), also to a vote that was already there."""
    check_fan_write(fan=fan, action="vote")
    now = timezone.now()
    with transaction.atomic():
        post = sql.locked_post(post_id)
        if not post.accepts_votes:
            raise VoteRefused("This post was merged into another one; vote there instead.")
        if sql.insert_vote(post_id=post.pk, fan_id=fan.pk, now=now):
            _set_votes(post, post.votes_count + 1, trending_delta=1)
            subscribe(fan_id=fan.pk, post_id=post.pk)
    return post


def withdraw_vote(*, fan: User, post_id: int) -> Post:
    """Take a vote back. Withdrawing a vote that is not there changes nothing."""
    with transaction.atomic():
        post = sql.locked_post(post_id)
        # No lock needed on the window: expire_trending_votes locks this post before it
        # counts the post's expired votes, so one of the two always sees the other's work.
        window = TrendingWindow.objects.filter(pk=1).first()
        vote = Vote.objects.filter(post_id=post.pk, fan=fan).first()
        if vote is not None:
            vote.delete()
            counted = window is None or counts_as_trending(vote.created_at, window.counted_after)
            _set_votes(post, post.votes_count - 1, trending_delta=-1 if counted else 0)
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


def recount_votes(*, post_ids: list[int]) -> None:
    """Set the stored counters of these posts from their vote rows.

    For bulk loads (the demo community, generated benchmarks) that insert vote rows directly.
    """
    with transaction.atomic():
        window = _locked_trending_window()
        posts = Post.objects.select_for_update().filter(pk__in=post_ids).only("id", "created_at")
        totals = dict(
            Vote.objects.filter(post_id__in=post_ids)
            .values("post_id")
            .annotate(n=Count("id"))
            .values_list("post_id", "n")
        )
        recent = dict(
            Vote.objects.filter(post_id__in=post_ids, created_at__gt=window.counted_after)
            .values("post_id")
            .annotate(n=Count("id"))
            .values_list("post_id", "n")
        )
        for post in posts:
            votes = totals.get(post.pk, 0)
            Post.objects.filter(pk=post.pk).update(
                votes_count=votes,
                trending_votes=recent.get(post.pk, 0),
                hot_score=hot_score(votes, post.created_at),
            )


def merge_posts(*, by: User, duplicate: Post, original: Post, note: str = "") -> PostMerge:
    """Merge a duplicate into its original: the original's voters become the union of both
    (a fan who voted on both counts once), the duplicate's followers follow the original,
    and the duplicate points to the original and takes no more votes."""
    if not can_moderate(by, duplicate.product):
        raise PermissionDenied("Only engineers of this product and moderators merge posts.")
    if duplicate.pk == original.pk:
        raise ValidationError({"original": "A post cannot be merged into itself."})
    if duplicate.product_id != original.product_id:
        raise ValidationError({"original": "Both posts must be on the same board."})
    check_post_rules(by=by, post=duplicate, change="merge")
    check_post_rules(by=by, post=original, change="merge_into")
    with transaction.atomic():
        first, second = sorted([duplicate.pk, original.pk])
        locked = {p.pk: p for p in Post.objects.select_for_update().filter(pk__in=[first, second])}
        dup, orig = locked[duplicate.pk], locked[original.pk]
        if Status.DUPLICATE in (dup.status, orig.status):
            raise ValidationError({"original": "One of these posts is already a duplicate."})
        moved = sql.copy_votes(from_post_id=dup.pk, to_post_id=orig.pk)
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
