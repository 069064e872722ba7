import time
from dataclasses import dataclass
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile

from orangefriday.accounts.api import ANYONE, SIGNED_IN, idempotent, token_used_at
from orangefriday.accounts.models import fan_of
from orangefriday.core import panels
from orangefriday.core.api import Id, PageNumber, bearer_token, prebuilt_response
from orangefriday.core.fragments import Fragments
from orangefriday.core.pagecache import cached_for_visitors
from orangefriday.core.paging import page_of
from orangefriday.notifications.following import set_following
from orangefriday.notifications.queries import followed

from . import sql
from .actions import (
    ImageUpload,
    add_comment,
    attach_image,
    attach_log,
    change_status,
    create_post,
    delete_comment,
    delete_post,
    edit_comment,
    edit_post,
    remove_image,
)
from .logs import log_response
from .models import (
    Comment,
    Post,
    PostImage,
    Product,
    StatusChange,
    Visibility,
)
from .permissions import can_read_log, can_see_post
from .queries import participants, roadmap, timeline
from .ranked import BoardFilter, board_posts, explores, ranked_page, sorts_for
from .reads import record_read
from .schemas import (
    CommentEditIn,
    CommentIn,
    CommentOut,
    CommentRevisionOut,
    FollowedPage,
    ImageOut,
    KindName,
    LogOut,
    PostEditIn,
    PostIn,
    PostOut,
    PostPage,
    PostRevisionOut,
    ProductOut,
    RoadmapOut,
    RoadmapPost,
    StatusChangeOut,
    StatusIn,
    StatusName,
    SubscriptionOut,
)
from .search import highlight

router = Router(tags=["board"])


def comment_out(comment: Comment) -> dict[str, Any]:
    """A comment; a hidden or deleted one is a tombstone (no text) that keeps its place."""
    shown = comment.visibility == Visibility.VISIBLE
    return {
        "id": comment.pk,
        "post_id": comment.post_id,
        "parent_id": comment.parent_id,
        "author": comment.author.username,
        "official": comment.official,
        "body": comment.body if shown else "",
        "body_html": comment.body_html if shown else "",
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
        "visibility": comment.visibility,
        "visibility_reason": comment.visibility_reason,
    }


def shown_post_or_404(request: HttpRequest, post_id: int, queryset: Any = None) -> Post:
    """The post, if the caller may see it (board.permissions.can_see_post); otherwise 404
    with what its tombstone says, as its page would."""
    post = get_object_or_404(
        queryset if queryset is not None else Post.objects.select_related("product"), pk=post_id
    )
    if not can_see_post(request.user, post):
        if post.visibility == Visibility.HELD:
            raise Http404("No such post.")
        raise Http404(f"{post.get_visibility_display()}: {post.visibility_reason}".rstrip(": "))
    return post


@router.get("/products", response=list[ProductOut], auth=ANYONE, summary="All products")
def list_products(request: HttpRequest) -> Any:
    # The cheapest call there is, fresh each time: one plain statement, its answer built
    # in the schema's shape (the ORM's compile and ninja's validation were 85% of its CPU).
    return prebuilt_response(sql.products_with_categories())


@router.get(
    "/posts/{post_id}/comments",
    response=list[CommentOut],
    auth=ANYONE,
    summary="A post's comments, oldest first",
)
def list_comments(request: HttpRequest, post_id: Id) -> list[dict[str, Any]]:
    post = shown_post_or_404(request, post_id)
    comments = post.comments.select_related("author").order_by("created_at", "pk")
    return [comment_out(c) for c in comments]


class ParticipantsQuery(Schema):
    q: str = Field("", max_length=150)


@router.get(
    "/posts/{post_id}/participants",
    response=list[str],
    auth=ANYONE,
    summary="Who took part in a post's thread, by the start of their username (for @mentions)",
    url_name="post_participants",
)
def list_participants(
    request: HttpRequest, post_id: Id, filters: Query[ParticipantsQuery]
) -> list[str]:
    # Who took part in a thread is as private as the thread: a hidden post's is not shown.
    post = shown_post_or_404(request, post_id, Post.objects.select_related("author", "product"))
    return participants(post, filters.q)


@router.post(
    "/posts/{post_id}/comments",
    response={201: CommentOut},
    auth=SIGNED_IN,
    summary="Comment on a post (or reply with parent_id)",
)
@idempotent
def create_comment(request: HttpRequest, post_id: Id, payload: CommentIn) -> Any:
    post = shown_post_or_404(request, post_id)
    parent = None
    if payload.parent_id is not None:
        parent = post.comments.filter(pk=payload.parent_id).first()
        if parent is None:
            raise ValidationError({"parent_id": gettext("No such comment on this post.")})
    comment = add_comment(author=fan_of(request), post=post, body=payload.body, parent=parent)
    return Status(201, comment_out(comment))


def status_change_out(change: StatusChange) -> dict[str, Any]:
    return {
        "id": change.pk,
        "post_id": change.post_id,
        "by": change.by.username if change.by else None,
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
    post = shown_post_or_404(request, post_id)
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


def image_out(image: PostImage) -> dict[str, Any]:
    return {
        "id": image.pk,
        "url": settings.SITE_URL + image.get_absolute_url(),
        "alt": image.shown_alt,
        "width": image.width,
        "height": image.height,
    }


@router.post(
    "/posts/{post_id}/images",
    response={201: ImageOut},
    auth=SIGNED_IN,
    summary="Add an image to your post (multipart: field `image`, optional `alt`)",
)
def upload_image(
    request: HttpRequest,
    post_id: Id,
    image: File[UploadedFile],
    alt: Form[str] = "",
) -> Any:
    post = shown_post_or_404(request, post_id)
    stored = attach_image(by=fan_of(request), post=post, image=ImageUpload(file=image, alt=alt))
    return Status(201, image_out(stored))


@router.delete(
    "/posts/{post_id}/images/{image_id}",
    response={204: None},
    auth=SIGNED_IN,
    summary="Take an image off your post (its file is deleted)",
)
def delete_image(request: HttpRequest, post_id: Id, image_id: Id) -> Any:
    post = shown_post_or_404(request, post_id)
    remove_image(by=fan_of(request), image=get_object_or_404(post.images, pk=image_id))
    return Status(204, None)


def post_out(post: Post, voted: bool | None = None) -> dict[str, Any]:
    return {
        "id": post.pk,
        "url": post.get_absolute_url(),
        "product": post.product.slug,
        "kind": post.kind,
        "status": post.status,
        "title": post.title,
        "body": post.body,
        "body_html": post.body_html,
        "category": post.category.slug if post.category else None,
        "tags": [tag.name for tag in post.tags.all()],
        "build_version": post.build_version,
        "found_in_build": post.found_in_build_id,
        "device": post.device,
        "has_log": bool(post.log),
        "images": [image_out(image) for image in post.images.all()],
        "author": post.author.username,
        "created_at": post.created_at,
        "votes_count": post.votes_count,
        "comments_count": post.comments_count,
        "readers_count": post.readers_count,
        "weighted_votes": post.weighted_votes,
        "weighted_readers": post.weighted_readers,
        "best_score": post.best_score,
        "shipped_at": post.shipped_at,
        "pinned": post.pinned,
        "featured_at": post.featured_at,
        "merged_into": post.merged_into_id,
        "visibility": post.visibility,
        "visibility_reason": post.visibility_reason,
        "edited_at": post.edited_at,
        "voted": voted,
    }


def posts_out(request: HttpRequest, posts: list[Post]) -> list[dict[str, Any]]:
    """The posts as JSON, with the fields later apps add (`voted`, from voting), loaded
    once for the whole list through the post.api slot (core.panels)."""
    return with_fans_fields(request, posts, [post_out(post) for post in posts])


def with_fans_fields(
    request: HttpRequest, posts: list[Post], items: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Each post's JSON (`items`, in the order of `posts`, left as they are) with the
    fields of the post.api slot for this request's fan (core.panels)."""
    added = panels.for_rows("post.api", request, posts)
    out = []
    for post, item in zip(posts, items, strict=True):
        fields = dict(item)
        for shown in added[post.pk]:
            fields.update(shown.context)
        out.append(fields)
    return out


class PostQuery(Schema):
    product: str | None = None
    sort: Literal["relevance", "best", "hot", "top", "trending", "new"] | None = Field(
        None, description="Default: relevance with q (only then), else best"
    )
    kind: KindName | None = None
    status: StatusName | None = None
    category: str | None = None
    tag: str | None = None
    q: str | None = None
    featured: bool = Field(False, description="Only the posts moderators or engineers featured")
    page: PageNumber = 1


@dataclass(frozen=True)
class BoardList:
    """A page of the board as the API lists it, without any fan's own fields."""

    rendered_at: float  # when its queries began (time.time())
    posts: list[Post]
    items: list[dict[str, Any]]
    page: int
    has_next: bool


# A page of the board is the same for every fan but for their own fields (`voted`), so
# for a bearer token's calls it is kept per process, path and language for
# BOARD_CACHE_SECONDS, and each call fills in its fan's fields fresh; never for a fan whose
# token wrote since it was rendered (accounts.api.token_used_at: a write stamps its token
# once it is done). A new token every call (the rush of new fans) rendered every page.
MAX_KEPT_LISTS = 2_000
_kept_lists: Fragments[BoardList] = Fragments(MAX_KEPT_LISTS)


@router.get("/posts", response=PostPage, auth=ANYONE, summary="The ranked board")
@decorate_view(cached_for_visitors)  # as the board page: a visitor's copy may be 1 s old
def list_posts(request: HttpRequest, filters: Query[PostQuery]) -> Any:
    board = (
        _kept_board_list(request, filters)
        if bearer_token(request) is not None and settings.BOARD_CACHE_SECONDS
        else board_list(filters)
    )
    return prebuilt_response(
        {
            "items": with_fans_fields(request, board.posts, board.items),
            "page": board.page,
            "has_next": board.has_next,
        }
    )


def _kept_board_list(request: HttpRequest, filters: PostQuery) -> BoardList:
    key = (request.get_full_path(), translation.get_language())
    kept = _kept_lists.look(key)
    used_at = token_used_at(request)
    if (
        kept is None
        or time.time() - kept.rendered_at >= settings.BOARD_CACHE_SECONDS
        or (used_at is not None and used_at.timestamp() >= kept.rendered_at)
    ):
        kept = board_list(filters)
        _kept_lists.keep(key, kept)
    return kept


def forget_kept_lists() -> None:
    """Tests: no list kept from an earlier test."""
    _kept_lists.clear()


def board_list(filters: PostQuery) -> BoardList:
    """The page of the board that `filters` ask for; a bad filter is a ValidationError."""
    rendered_at = time.time()
    product = get_object_or_404(Product, slug=filters.product) if filters.product else None
    category_id = None
    if filters.category:
        if product is None:
            raise ValidationError(
                {"category": gettext("Filter by category together with product.")}
            )
        category = product.categories.filter(slug=filters.category).first()
        if category is None:
            raise ValidationError(
                {
                    "category": gettext("%(product)s has no such category.")
                    % {"product": product.local_name}
                }
            )
        category_id = category.pk
    q = (filters.q or "").strip()[:200] or None
    sorts = sorts_for(q)
    if filters.sort is not None and filters.sort not in sorts:
        raise ValidationError({"sort": gettext("Sorting by relevance needs a search (q).")})
    board = BoardFilter(
        product_id=product.pk if product else None,
        sort=filters.sort or sorts[0],
        kind=filters.kind,
        status=filters.status,
        category_id=category_id,
        tag=filters.tag,
        q=q,
        featured=filters.featured,
    )
    posts = board_posts(board).prefetch_related("tags", "images")
    page = ranked_page(posts, explore=explores(board), number=filters.page)
    items = [{**post_out(post), "highlight": None} for post in page.items]
    if q:
        highlight(page.items, q)
        for item, post in zip(items, page.items, strict=True):
            found = post.search_highlight  # type: ignore[attr-defined]
            item["highlight"] = {"title": str(found.title), "snippet": str(found.snippet)}
    return BoardList(rendered_at, list(page.items), items, page.number, page.has_next)


@router.post("/posts", response={201: PostOut}, auth=SIGNED_IN, summary="Post on a board")
@idempotent
def create(request: HttpRequest, payload: PostIn) -> Any:
    product = Product.objects.filter(slug=payload.product).first()
    if product is None:
        raise ValidationError(
            {
                "product": gettext("No product “%(payload_product)s”.")
                % {"payload_product": payload.product}
            }
        )
    category = None
    if payload.category:
        category = product.categories.filter(slug=payload.category).first()
        if category is None:
            raise ValidationError(
                {
                    "category": gettext("%(product)s has no such category.")
                    % {"product": product.local_name}
                }
            )
    post = create_post(
        author=fan_of(request),
        product=product,
        kind=payload.kind,
        title=payload.title,
        body=payload.body,
        category=category,
        tags=payload.tags,
        build_version=payload.build_version,
        found_in_build_id=payload.found_in_build,
        device=payload.device,
    )
    return Status(201, post_out(post, voted=False))


@router.get("/posts/{post_id}", response=PostOut, auth=ANYONE, summary="One post")
def get_post(request: HttpRequest, post_id: Id) -> dict[str, Any]:
    post = shown_post_or_404(
        request,
        post_id,
        Post.objects.select_related("product", "author", "category").prefetch_related(
            "tags", "images"
        ),
    )
    # Opening a post through the API makes a fan its reader, as its page does.
    record_read(post_id=post.pk, fan_id=request.user.pk if request.user.is_authenticated else None)
    return posts_out(request, [post])[0]


@router.put(
    "/posts/{post_id}/subscription",
    response=SubscriptionOut,
    auth=SIGNED_IN,
    summary="Follow a post (idempotent)",
)
def follow(request: HttpRequest, post_id: Id) -> dict[str, Any]:
    return _set_following(request, post_id, following=True)


@router.delete(
    "/posts/{post_id}/subscription",
    response=SubscriptionOut,
    auth=SIGNED_IN,
    summary="Unfollow a post; voting or commenting later does not follow it again",
)
def unfollow(request: HttpRequest, post_id: Id) -> dict[str, Any]:
    return _set_following(request, post_id, following=False)


def _set_following(request: HttpRequest, post_id: Id, *, following: bool) -> dict[str, Any]:
    post = get_object_or_404(Post, pk=post_id)
    set_following(fan_id=fan_of(request).pk, post_id=post.pk, following=following)
    return {"post_id": post.pk, "following": following}


@router.get(
    "/me/subscriptions",
    response=FollowedPage,
    auth=SIGNED_IN,
    summary="The posts you follow, most recently followed first",
)
def my_subscriptions(request: HttpRequest, page: PageNumber = 1) -> dict[str, Any]:
    rows = followed(fan_of(request)).filter(post__in=Post.objects.visible())
    result = page_of(rows.select_related("post", "post__product"), page)
    return {
        "items": [
            {
                "post_id": s.post.pk,
                "title": s.post.title,
                "url": s.post.get_absolute_url(),
                "product": s.post.product.slug,
                "status": s.post.status,
                "following_since": s.created_at,
            }
            for s in result.items
        ],
        "page": result.number,
        "has_next": result.has_next,
    }


def _category(product: Product, slug: str | None) -> Any:
    if not slug:
        return None
    category = product.categories.filter(slug=slug).first()
    if category is None:
        raise ValidationError(
            {
                "category": gettext("%(product)s has no such category.")
                % {"product": product.local_name}
            }
        )
    return category


@router.patch(
    "/posts/{post_id}",
    response=PostOut,
    auth=SIGNED_IN,
    summary="Edit your post (the version before is kept in its revisions)",
)
def patch_post(request: HttpRequest, post_id: Id, payload: PostEditIn) -> dict[str, Any]:
    post = shown_post_or_404(request, post_id)
    edited = edit_post(
        by=fan_of(request),
        post=post,
        kind=payload.kind,
        title=payload.title,
        body=payload.body,
        category=_category(post.product, payload.category),
        tags=payload.tags,
    )
    return posts_out(request, [edited])[0]


@router.delete(
    "/posts/{post_id}",
    response=PostOut,
    auth=SIGNED_IN,
    summary="Delete your post (a tombstone stays at its link)",
)
def remove_post(request: HttpRequest, post_id: Id) -> dict[str, Any]:
    post = shown_post_or_404(request, post_id)
    return posts_out(request, [delete_post(by=fan_of(request), post=post)])[0]


@router.get(
    "/posts/{post_id}/revisions",
    response=list[PostRevisionOut],
    auth=ANYONE,
    summary="A post's earlier versions, newest first",
)
def post_revisions(request: HttpRequest, post_id: Id) -> list[dict[str, Any]]:
    post = shown_post_or_404(request, post_id)
    return [
        {
            "id": r.pk,
            "by": r.by.username,
            "created_at": r.created_at,
            "kind": r.kind,
            "title": r.title,
            "body": r.body,
            "category": r.category_name,
            "tags": r.tag_names,
        }
        for r in post.revisions.select_related("by")
    ]


def _comment_or_404(request: HttpRequest, comment_id: int) -> Comment:
    comment = get_object_or_404(Comment.objects.select_related("author"), pk=comment_id)
    shown_post_or_404(request, comment.post_id)
    return comment


@router.patch(
    "/comments/{comment_id}",
    response=CommentOut,
    auth=SIGNED_IN,
    summary="Edit your comment (the text before is kept in its revisions)",
)
def patch_comment(request: HttpRequest, comment_id: Id, payload: CommentEditIn) -> Any:
    comment = _comment_or_404(request, comment_id)
    return comment_out(edit_comment(by=fan_of(request), comment=comment, body=payload.body))


@router.delete(
    "/comments/{comment_id}",
    response=CommentOut,
    auth=SIGNED_IN,
    summary="Delete your comment (a tombstone keeps its place; replies stay)",
)
def remove_comment(request: HttpRequest, comment_id: Id) -> Any:
    comment = _comment_or_404(request, comment_id)
    return comment_out(delete_comment(by=fan_of(request), comment=comment))


@router.get(
    "/comments/{comment_id}/revisions",
    response=list[CommentRevisionOut],
    auth=ANYONE,
    summary="A comment's earlier texts, newest first",
)
def comment_revisions(request: HttpRequest, comment_id: Id) -> list[dict[str, Any]]:
    comment = _comment_or_404(request, comment_id)
    return [
        {"id": r.pk, "by": r.by.username, "created_at": r.created_at, "body": r.body}
        for r in comment.revisions.select_related("by")
    ]
