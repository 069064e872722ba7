"""What voting shows on earlier apps' pages (core.panels): the vote button of a post and of
each row of a list (one query for the whole list), and the posts a fan voted for."""

from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest

from orangefriday.accounts.models import User
from orangefriday.board.models import Post

from .queries import voted_post_ids, voted_posts

Loaded = dict[Any, dict[str, Any]]
PROFILE_LIST_LENGTH = 50


def vote_buttons(request: HttpRequest, posts: Sequence[Post]) -> Loaded:
    voted = voted_post_ids(fan=request.user, post_ids=[post.pk for post in posts])
    signed_in, path = request.user.is_authenticated, request.get_full_path()
    return {
        post.pk: {
            "voted": post.pk in voted,
            # Everything voting/vote_button.html shows (core.panels: kept rendered).
            "keep": (
                post.pk,
                post.votes_count,
                post.accepts_votes,
                post.pk in voted,
                signed_in,
                path,
            ),
        }
        for post in posts
    }


def api_voted(request: HttpRequest, posts: Sequence[Post]) -> Loaded:
    """`voted` in the posts API: None (not false) for a visitor, who cannot vote."""
    if not request.user.is_authenticated:
        return {}
    return vote_buttons(request, posts)


def fans_votes(request: HttpRequest, fans: Sequence[User]) -> Loaded:
    return {
        fan.pk: {
            "voted_posts": voted_posts(fan, limit=PROFILE_LIST_LENGTH),
            "vote_count": fan.votes.count(),
        }
        for fan in fans
    }
