"""The parts of a post's page that depend on who looks, computed by one function for a page
rendered for the fan and for the holes of a page kept for all fans (core.pagecache).

A kept post page is rendered once for every fan who does not moderate the post's product
(`serves`: engineers and moderators get status and merge forms, so a page of their own).
Its holes (`{% fan_part %}`, core/templatetags/kept.py) are the vote button, the panels of
the later apps under the post, the follow button, the author's edit, delete and image
links, the log's link, and each comment's edit and delete links and panels (the flag
button). They are filled per request from the post and its comments as they are now, with
the same permission functions as a fresh page; the fan's read is counted there too, since a
kept page runs no view.
"""

from collections.abc import Callable, Hashable, Sequence
from typing import Any

from django.http import HttpRequest
from django.template import Context

from orangefriday.accounts.models import User
from orangefriday.core import panels
from orangefriday.core.pagecache import leave_hole, register_filler, rendering_skeleton
from orangefriday.core.templatetags.kept import part_name
from orangefriday.notifications.queries import is_following

from .models import Comment, Post
from .permissions import can_change_comment, can_moderate, can_read_log, is_engineer_of
from .reads import record_read

POST_PARTS = (
    "board/_post_vote.html",
    "board/_post_log.html",
    "board/_post_panels.html",
    "board/_follow.html",
    "board/_post_own.html",
)
IMAGE_PART = "board/_image_own.html"
COMMENT_OWN, COMMENT_PANELS = "board/_comment_own.html", "board/_comment_panels.html"
COMMENT_PARTS = (COMMENT_OWN, COMMENT_PANELS)
HOLES = "post.page"


def viewer_parts(request: HttpRequest, post: Post, comments: Sequence[Comment]) -> dict[str, Any]:
    """The context of the parts that depend on the viewer; each comment gets its panels
    and whether the viewer may change it (`own`).
    `engineer` is read by panels too (releases' "list as a known issue")."""
    user = request.user
    shown = panels.for_rows("comment.row", request, comments)
    for comment in comments:
        comment.row_panels = shown[comment.pk]  # type: ignore[attr-defined]
        comment.own = can_change_comment(user, comment)  # type: ignore[attr-defined]
    return {
        "engineer": isinstance(user, User) and is_engineer_of(user, post.product),
        "can_read_log": can_read_log(user, post),
        "following": is_following(fan_id=user.pk, post_id=post.pk),
        "vote_panels": panels.for_object("post.vote", request, post),
        "detail_panels": panels.for_object("post.detail", request, post),
    }


def serves(post: Post) -> Callable[[HttpRequest], bool]:
    """Who may get the post's page kept for all fans: none, for a post that is not shown
    (only its author and moderators see it); else fans who do not moderate its product."""
    product, visible = post.product, post.is_visible
    return lambda request: visible and not can_moderate(request.user, product)  # type: ignore[arg-type]


def leave_holes(request: HttpRequest, post: Post, comments: Sequence[Comment]) -> None:
    """While the page renders for all fans: what its filler needs (ids only)."""
    assert rendering_skeleton(request) is not None
    images = tuple(image.pk for image in post.images.all())
    leave_hole(request, HOLES, (post.pk, images, tuple(c.pk for c in comments)))


def _fill(context: Context, args: Hashable) -> dict[str, str]:
    assert isinstance(args, tuple)
    post_id, image_ids, comment_ids = args
    request = context["request"]
    post = Post.objects.select_related("product", "found_in_build").filter(pk=post_id).first()
    comments = list(Comment.objects.filter(pk__in=comment_ids)) if post else []
    for comment in comments:
        if comment.post_id == post_id:
            comment.post = post  # type: ignore[assignment]
    parts = {part_name(name): "" for name in POST_PARTS}  # a post gone since: nothing
    parts.update({part_name(IMAGE_PART, pk): "" for pk in image_ids})
    parts.update({part_name(name, pk): "" for name in COMMENT_PARTS for pk in comment_ids})
    if post is None:
        return parts
    if post.is_visible:
        record_read(post_id=post.pk, fan_id=request.user.pk)
    with context.push(post=post, **viewer_parts(request, post, comments)):
        parts.update({part_name(name): _render(context, name) for name in POST_PARTS})
        for image in post.images.filter(pk__in=image_ids) if image_ids else ():
            with context.push(image=image):
                parts[part_name(IMAGE_PART, image.pk)] = _render(context, IMAGE_PART)
        for comment in comments:
            with context.push(comment=comment):
                if comment.own:  # type: ignore[attr-defined]  # (nothing to show otherwise)
                    parts[part_name(COMMENT_OWN, comment.pk)] = _render(context, COMMENT_OWN)
                parts[part_name(COMMENT_PANELS, comment.pk)] = _render(context, COMMENT_PANELS)
    return parts


def _render(context: Context, name: str) -> str:
    assert context.template is not None
    return context.template.engine.get_template(name).render(context)


register_filler(HOLES, _fill)
