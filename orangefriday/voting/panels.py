"""What voting shows on earlier apps' pages (core.panels): the vote button of a post and of
each row of a list (one query for the whole list), and the posts a fan voted for."""

from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest

from orangefriday.accounts.models import User, fan_of
from orangefriday.board.models import Post

from .queries import voted_posts
from .sql import read_vote_states

Loaded = dict[Any, dict[str, Any]]
PROFILE_LIST_LENGTH = 50


def vote_buttons(request: HttpRequest, posts: Sequence[Post]) -> Loaded:
    """Each post's button: for a fan, with its current count and their mark (one statement;
    none for a post that is gone); for a visitor, who has no marks, as the page loaded it."""
    signed_in, path = request.user.is_authenticated, request.get_full_path()
    if signed_in:
        voted = read_vote_states(fan_id=fan_of(request).pk, posts=posts)
    else:
        voted = dict.fromkeys((post.pk for post in posts), False)
    return {
        post.pk: {
            "voted": voted[post.pk],
            # Everything voting/vote_button.html shows (core.panels: kept rendered).
            "keep": (
                post.pk,
                post.votes_count,
                post.accepts_votes,
                voted[post.pk],
                signed_in,
                path,
            ),
        }
        for post in posts
        if post.pk in voted
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
