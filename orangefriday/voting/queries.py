from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser

from orangefriday.accounts.models import User
from orangefriday.board.models import Post

from .models import Vote


def voted_post_ids(*, fan: User | AnonymousUser, post_ids: Iterable[int]) -> set[int]:
    """Which of these posts the fan voted for, in one query."""
    if not fan.is_authenticated:
        return set()
    return set(
        Vote.objects.filter(fan_id=fan.pk, post_id__in=list(post_ids)).values_list(
            "post_id", flat=True
        )
    )


def voted_posts(fan: User, limit: int = 20) -> list[Post]:
    """The posts the fan voted for, most recent vote first."""
    return list(
        Post.objects.visible()
        .filter(votes__fan=fan)
        .select_related("product", "author", "category")
        .order_by("-votes__created_at")[:limit]
    )
