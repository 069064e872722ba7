"""The board's part of a fan's data (their posts and comments, as written), and of erasing
it: a leaving fan's posts and comments stay under "a former fan", or become tombstones as
when their author deletes them."""

from orangefriday.accounts import erasure, export
from orangefriday.accounts.models import User

from .actions import GONE, delete_comment, delete_post
from .models import Comment, Post


def _posts(fan: User) -> list[dict]:
    return export.rows(
        Post.objects.filter(author=fan),
        "id", "product__slug", "kind", "title", "body", "category__slug", "status",
        "build_version", "device", "log_name", "visibility", "created_at", "edited_at",
    )  # fmt: skip


def _comments(fan: User) -> list[dict]:
    return export.rows(
        Comment.objects.filter(author=fan),
        "id", "post_id", "parent_id", "body", "visibility", "created_at", "edited_at",
    )  # fmt: skip


export.register("posts", _posts)
export.register("comments", _comments)


def _erase(fan: User, keep_content: bool) -> None:
    fan.engineering_products.clear()  # a former fan answers for no product
    if keep_content:
        return
    for post in Post.objects.filter(author=fan).exclude(visibility__in=GONE):
        delete_post(by=fan, post=post)
    for comment in Comment.objects.filter(author=fan).exclude(visibility__in=GONE):
        delete_comment(by=fan, comment=comment)


erasure.register("board", _erase)
