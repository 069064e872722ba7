from typing import Any

from .models import User

PROFILE_LIST_LENGTH = 50


def fan_profile(fan: User) -> dict[str, Any]:
    """A fan's public page: their latest posts and the posts they voted for."""
    posts = fan.posts.select_related("product").order_by("-created_at")[:PROFILE_LIST_LENGTH]
    votes = fan.votes.select_related("post__product").order_by("-created_at")[:PROFILE_LIST_LENGTH]
    return {
        "fan": fan,
        "posts": list(posts),
        "voted_posts": [vote.post for vote in votes],
        "post_count": fan.posts.count(),
        "vote_count": fan.votes.count(),
    }
