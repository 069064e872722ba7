from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from .models import Comment, Post, Product, Status, StatusChange

RECENTLY_SHIPPED = timedelta(days=30)
ROADMAP_COLUMN_LENGTH = 50


@dataclass(frozen=True)
class Thread:
    comment: Comment
    replies: list[Comment]


def duplicate_ids(post: Post) -> list[int]:
    """The posts merged into this one (their links lead here)."""
    return list(post.duplicates.values_list("pk", flat=True))


def comment_threads(post: Post, duplicates: Sequence[int]) -> list[Thread]:
    """A post's comments as one-level threads, oldest first, in one query. Comments of
    the duplicates merged into this post are part of its discussion too. Hidden and deleted
    comments stay in their thread (the template shows a tombstone), so replies keep their
    place."""
    comments = list(
        Comment.objects.filter(post__in=[post.pk, *duplicates])
        .select_related("author")
        .order_by("created_at", "pk")
    )
    replies: dict[int, list[Comment]] = {}
    for comment in comments:
        if comment.post_id == post.pk:  # the post already loaded, not once more per panel
            comment.post = post
        if comment.parent_id is not None:
            replies.setdefault(comment.parent_id, []).append(comment)
    return [Thread(c, replies.get(c.pk, [])) for c in comments if c.parent_id is None]


# How many names the @mention autocomplete offers at once.
PARTICIPANTS_SHOWN = 8


def participants(post: Post, prefix: str = "") -> list[str]:
    """The usernames of the fans who took part in a post's thread (its author and every
    commenter), starting with `prefix` (any case), in alphabetical order: what @mention
    offers while a fan types."""
    names = set(
        Comment.objects.filter(post=post, author__is_active=True).values_list(
            "author__username", flat=True
        )
    )
    if post.author.is_active:
        names.add(post.author.username)
    wanted = prefix.lower()
    return sorted(name for name in names if name.lower().startswith(wanted))[:PARTICIPANTS_SHOWN]


def timeline(post: Post) -> QuerySet[StatusChange]:
    """The post's status changes and official responses, oldest first."""
    return post.status_changes.select_related("by")


@dataclass(frozen=True)
class Roadmap:
    planned: list[Post]
    in_progress: list[Post]
    shipped: list[Post]


def roadmap(product: Product) -> Roadmap:
    """Planned and in-progress posts, most voted first, and what shipped in the last 30 days."""
    posts = Post.objects.visible().filter(product=product).select_related("author")

    def column(status: str, order: str) -> list[Post]:
        return list(posts.filter(status=status).order_by(order, "-pk")[:ROADMAP_COLUMN_LENGTH])

    since = timezone.now() - RECENTLY_SHIPPED
    return Roadmap(
        planned=column(Status.PLANNED, "-votes_count"),
        in_progress=column(Status.IN_PROGRESS, "-votes_count"),
        shipped=list(
            posts.filter(status=Status.SHIPPED, shipped_at__gte=since).order_by("-shipped_at")[
                :ROADMAP_COLUMN_LENGTH
            ]
        ),
    )
