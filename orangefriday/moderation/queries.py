"""Reads of moderation: the queue as each reviewer sees it, the log, a fan's history."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from orangefriday.accounts.models import User

from .models import Flag, FlagState, LogEntry, Review


def queue_for(user: User) -> QuerySet[Review]:
    """The open items a reviewer decides on, heaviest flags first: every product for
    moderators, their own products for engineers (permissions.can_review)."""
    reviews = Review.objects.filter(state=Review.State.OPEN).select_related(
        "product", "post", "post__author", "comment", "comment__author"
    )
    if not (user.is_moderator or user.is_admin):
        reviews = reviews.filter(product__engineers=user)
    return reviews.prefetch_related("flags", "flags__flagger", "flags__original")


@dataclass(frozen=True)
class History:
    """What a reviewer wants to know of an item's author."""

    posts: int
    comments: int
    flags_upheld: int
    flags_rejected: int
    sanctions: list[LogEntry]


def author_history(fan_ids: list[int]) -> dict[int, History]:
    """Each author's record, for a page of the queue in a few queries."""
    users = User.objects.filter(pk__in=fan_ids).annotate(
        n_posts=Count("posts", distinct=True), n_comments=Count("comments", distinct=True)
    )
    flags = (
        Flag.objects.filter(author_id__in=fan_ids)
        .values("author_id")
        .annotate(
            upheld=Count("pk", filter=Q(state=FlagState.UPHELD)),
            rejected=Count("pk", filter=Q(state=FlagState.REJECTED)),
        )
    )
    by_fan = {row["author_id"]: row for row in flags}
    sanctions: dict[int, list[LogEntry]] = {}
    for entry in LogEntry.objects.filter(
        fan_id__in=fan_ids, action__in=["silence", "suspend", "block", "hide_and_silence"]
    ).order_by("-created_at")[:200]:
        sanctions.setdefault(entry.fan_id or 0, []).append(entry)
    return {
        user.pk: History(
            posts=user.n_posts,  # type: ignore[attr-defined]
            comments=user.n_comments,  # type: ignore[attr-defined]
            flags_upheld=by_fan.get(user.pk, {}).get("upheld", 0),
            flags_rejected=by_fan.get(user.pk, {}).get("rejected", 0),
            sanctions=sanctions.get(user.pk, [])[:5],
        )
        for user in users
    }


def log() -> QuerySet[LogEntry]:
    return LogEntry.objects.select_related("moderator", "fan", "post", "comment")
