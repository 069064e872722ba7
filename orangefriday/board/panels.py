"""What board shows on an earlier app's page (core.panels): a fan's posts on their page."""

from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest

from orangefriday.accounts.models import User

from .models import Post

PROFILE_LIST_LENGTH = 50


def fans_posts(request: HttpRequest, fans: Sequence[User]) -> dict[Any, dict[str, Any]]:
    loaded = {}
    for fan in fans:
        posts = (
            Post.objects.visible()
            .filter(author=fan)
            .select_related("product", "author", "category")
        )
        loaded[fan.pk] = {
            "posts": list(posts.order_by("-created_at")[:PROFILE_LIST_LENGTH]),
            "post_count": posts.count(),
        }
    return loaded
