"""What moderation shows on earlier apps' pages (core.panels): the flag button under a post
and each comment, a hidden post's restore button, the feature button, and a fan's trust
level on their page."""

from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from orangefriday.accounts.models import TrustLevel, User
from orangefriday.board.models import Comment, Post, Visibility

from .forms import FlagForm, SanctionForm
from .models import Flag
from .permissions import can_feature, can_review, can_sanction
from .trust import next_level, requirements, stats_of

Loaded = dict[Any, dict[str, Any]]


def _flagged(request: HttpRequest, post_ids: set[int]) -> set[tuple[int, int | None]]:
    """(post id, comment id) of what the fan flagged already on these posts (a flag of a
    comment names its post too). A post's page asks for the post and for its comments:
    one query for both, kept on the request."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return set()
    read, flagged = getattr(request, "_flags_read", (frozenset(), set()))
    if not post_ids <= read:
        read = read | post_ids
        flags = Flag.objects.filter(flagger=user, post_id__in=read)
        flagged = set(flags.values_list("post_id", "comment_id"))
        request._flags_read = (read, flagged)  # type: ignore[attr-defined]
    return {item for item in flagged if item[0] in post_ids}


def post_flag(request: HttpRequest, posts: Sequence[Post]) -> Loaded:
    user = request.user
    post = posts[0]
    signed_in = isinstance(user, User) and user.is_authenticated
    flagged = (post.pk, None) in _flagged(request, {post.pk})
    return {
        post.pk: {
            "can_flag": signed_in and user.pk != post.author_id and post.is_visible,
            "flagged": flagged,
            "flag_form": FlagForm(),
            "can_restore": isinstance(user, User)
            and post.visibility == Visibility.HIDDEN
            and can_review(user, post.product),
            # Unfeaturing stays possible whatever became of the post.
            "can_feature": can_feature(user, post.product)
            and (post.featured_at is not None or post.is_visible),
        }
    }


def comment_flags(request: HttpRequest, comments: Sequence[Comment]) -> Loaded:
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return {}
    flagged = {comment_id for _, comment_id in _flagged(request, {c.post_id for c in comments})}
    reviewer = bool(comments) and can_review(user, comments[0].post.product)
    loaded: Loaded = {}
    for c in comments:
        shown = {
            "can_flag": c.author_id != user.pk and c.visibility == Visibility.VISIBLE,
            "flagged": c.pk in flagged,
            "can_restore": reviewer and c.visibility == Visibility.HIDDEN,
        }
        # Everything _flag_comment.html shows (core.panels: kept rendered), with the page's
        # post, whose restore form it posts to, by the page's path.
        loaded[c.pk] = {**shown, "keep": (request.path, c.pk, *shown.values())}
    return loaded


def profile_trust(request: HttpRequest, fans: Sequence[User]) -> Loaded:
    """The fan's level for all; what the next one needs for the fan and moderators; the
    moderator's controls."""
    viewer = request.user
    loaded = {}
    for fan in fans:
        own = isinstance(viewer, User) and viewer.pk == fan.pk
        moderator = can_sanction(viewer)
        upcoming = next_level(fan.trust_level)
        progress = []
        if (own or moderator) and upcoming is not None:
            progress = requirements(upcoming, stats_of(fan, now=timezone.now()))
        loaded[fan.pk] = {
            "level": fan.trust_level,
            "level_name": TrustLevel(fan.trust_level).label,
            "next_name": TrustLevel(upcoming).label if upcoming is not None else "",
            "progress": progress,
            "own": own,
            "moderator": moderator and not fan.is_moderator,
            "sanction_form": SanctionForm(),
        }
    return loaded
