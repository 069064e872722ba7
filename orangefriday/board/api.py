from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import File, Router, Status
from ninja.files import UploadedFile

from orangefriday.accounts.api import ANYONE, SIGNED_IN, idempotent
from orangefriday.accounts.models import fan_of
from orangefriday.core.api import Id

from .actions import add_comment, attach_log, change_status
from .logs import log_response
from .models import Comment, Post, Product, StatusChange
from .permissions import can_read_log
from .queries import roadmap, timeline
from .schemas import (
    CommentIn,
    CommentOut,
    LogOut,
    ProductOut,
    RoadmapOut,
    RoadmapPost,
    StatusChangeOut,
    StatusIn,
)

router = Router(tags=["board"])


def comment_out(comment: Comment) -> dict[str, Any]:
    return {
        "id": comment.pk,
        "post_id": comment.post_id,
        "parent_id": comment.parent_id,
        "author": comment.author.username,
        "official": comment.official,
        "body": comment.body,
        "body_html": comment.body_html,
        "created_at": comment.created_at,
    }


@router.get("/products", response=list[ProductOut], auth=ANYONE, summary="All products")
def list_products(request: HttpRequest) -> Any:
    return Product.objects.prefetch_related("categories").order_by("name")


@router.get(
    "/posts/{post_id}/comments",
    response=list[CommentOut],
    auth=ANYONE,
    summary="A post's comments, oldest first",
)
def list_comments(request: HttpRequest, post_id: Id) -> list[dict[str, Any]]:
    post = get_object_or_404(Post, pk=post_id)
    comments = post.comments.select_related("author").order_by("created_at", "pk")
    return [comment_out(c) for c in comments]


@router.post(
    "/posts/{post_id}/comments",
    response={201: CommentOut},
    auth=SIGNED_IN,
    summary="Comment on a post (or reply with parent_id)",
)
@idempotent
def create_comment(request: HttpRequest, post_id: Id, payload: CommentIn) -> Any:
    post = get_object_or_404(Post.objects.select_related("product"), pk=post_id)
    parent = None
    if payload.parent_id is not None:
        parent = post.comments.filter(pk=payload.parent_id).first()
        if parent is None:
            raise ValidationError({"parent_id": "No such comment on this post."})
    comment = add_comment(author=fan_of(request), post=post, body=payload.body, parent=parent)
    return Status(201, comment_out(comment))


def status_change_out(change: StatusChange) -> dict[str, Any]:
    return {
        "id": change.pk,
        "post_id": change.post_id,
        "by": change.by.username,
        "from_status": change.from_status,
        "to_status": change.to_status,
        "note": change.note,
        "note_html": change.note_html,
        "created_at": change.created_at,
    }


@router.get(
    "/posts/{post_id}/timeline",
    response=list[StatusChangeOut],
    auth=ANYONE,
    summary="Status changes and official responses, oldest first",
)
def get_timeline(request: HttpRequest, post_id: Id) -> list[dict[str, Any]]:
    post = get_object_or_404(Post, pk=post_id)
    return [status_change_out(change) for change in timeline(post)]


@router.post(
    "/posts/{post_id}/status",
    response={201: StatusChangeOut},
    auth=SIGNED_IN,
    summary="Change a post's status, with an optional official response (engineers)",
)
def set_status(request: HttpRequest, post_id: Id, payload: StatusIn) -> Any:
    post = get_object_or_404(Post.objects.select_related("product"), pk=post_id)
    change = change_status(by=fan_of(request), post=post, status=payload.status, note=payload.note)
    return Status(201, status_change_out(change))


def _roadmap_posts(posts: list[Post]) -> list[RoadmapPost]:
    return [
        RoadmapPost(
            id=p.pk,
            title=p.title,
            url=p.get_absolute_url(),
            votes_count=p.votes_count,
            shipped_at=p.shipped_at,
        )
        for p in posts
    ]


@router.get(
    "/products/{slug}/roadmap",
    response=RoadmapOut,
    auth=ANYONE,
    summary="Planned, in progress, and shipped in the last 30 days",
)
def get_roadmap(request: HttpRequest, slug: str) -> RoadmapOut:
    plan = roadmap(get_object_or_404(Product, slug=slug))
    return RoadmapOut(
        planned=_roadmap_posts(plan.planned),
        in_progress=_roadmap_posts(plan.in_progress),
        shipped=_roadmap_posts(plan.shipped),
    )


def log_out(post: Post) -> dict[str, Any]:
    return {
        "name": post.log_name,
        "size": post.log_size,
        "url": settings.SITE_URL + reverse("api:post_log", args=[post.pk]),
    }


@router.post(
    "/posts/{post_id}/log",
    response={201: LogOut},
    auth=SIGNED_IN,
    summary="Attach a log to your bug report (multipart field `log`, up to 5 MB)",
)
def upload_log(request: HttpRequest, post_id: Id, log: File[UploadedFile]) -> Any:
    post = get_object_or_404(Post.objects.select_related("product"), pk=post_id)
    attach_log(by=fan_of(request), post=post, log=log)
    return Status(201, log_out(post))


@router.get(
    "/posts/{post_id}/log",
    auth=SIGNED_IN,
    url_name="post_log",
    summary="Download a bug's log (its reporter and the product's engineers)",
)
def download_log(request: HttpRequest, post_id: Id) -> FileResponse:
    post = get_object_or_404(Post.objects.select_related("product"), pk=post_id)
    if not post.log:
        raise Http404("This post has no log.")
    if not can_read_log(request.user, post):
        raise PermissionDenied("Only the reporter and the product's engineers read a bug's log.")
    return log_response(post)
