from typing import Any, Literal

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from orangefriday.accounts.api import ANYONE, SIGNED_IN, idempotent
from orangefriday.accounts.models import User, fan_of
from orangefriday.board.actions import create_post
from orangefriday.board.models import Post, Product
from orangefriday.board.schemas import KindName, PostIn, PostOut, PostPage, StatusName
from orangefriday.board.search import highlight
from orangefriday.core.api import Id, PageNumber
from orangefriday.voting.queries import voted_post_ids

from .queries import BoardFilter, board_posts, page_of, sorts_for

router = Router(tags=["posts"])


def post_out(post: Post, voted: bool | None) -> dict[str, Any]:
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
        "author": post.author.username,
        "created_at": post.created_at,
        "votes_count": post.votes_count,
        "comments_count": post.comments_count,
        "readers_count": post.readers_count,
        "shipped_at": post.shipped_at,
        "pinned": post.pinned,
        "merged_into": post.merged_into_id,
        "voted": voted,
    }


def posts_out(fan: User | AnonymousUser, posts: list[Post]) -> list[dict[str, Any]]:
    voted = voted_post_ids(fan=fan, post_ids=[p.pk for p in posts])
    return [post_out(p, p.pk in voted if fan.is_authenticated else None) for p in posts]


class PostQuery(Schema):
    product: str | None = None
    sort: Literal["relevance", "hot", "top", "trending", "new"] | None = Field(
        None, description="Default: relevance with q (only then), else hot"
    )
    kind: KindName | None = None
    status: StatusName | None = None
    category: str | None = None
    tag: str | None = None
    q: str | None = None
    page: PageNumber = 1


@router.get("/posts", response=PostPage, auth=ANYONE, summary="The ranked board")
def list_posts(request: HttpRequest, filters: Query[PostQuery]) -> dict[str, Any]:
    product = get_object_or_404(Product, slug=filters.product) if filters.product else None
    category_id = None
    if filters.category:
        if product is None:
            raise ValidationError({"category": "Filter by category together with product."})
        category = product.categories.filter(slug=filters.category).first()
        if category is None:
            raise ValidationError({"category": f"{product.name} has no such category."})
        category_id = category.pk
    q = (filters.q or "").strip()[:200] or None
    sorts = sorts_for(q)
    if filters.sort is not None and filters.sort not in sorts:
        raise ValidationError({"sort": "Sorting by relevance needs a search (q)."})
    board = BoardFilter(
        product_id=product.pk if product else None,
        sort=filters.sort or sorts[0],
        kind=filters.kind,
        status=filters.status,
        category_id=category_id,
        tag=filters.tag,
        q=q,
    )
    page = page_of(board_posts(board).prefetch_related("tags"), filters.page)
    items = posts_out(request.user, page.posts)
    if q:
        highlight(page.posts, q)
        for item, post in zip(items, page.posts, strict=True):
            item["highlight"] = post.search_highlight  # type: ignore[attr-defined]
    return {
        "items": items,
        "page": page.number,
        "has_next": page.has_next,
    }


@router.post("/posts", response={201: PostOut}, auth=SIGNED_IN, summary="Post on a board")
@idempotent
def create(request: HttpRequest, payload: PostIn) -> Any:
    product = Product.objects.filter(slug=payload.product).first()
    if product is None:
        raise ValidationError({"product": f"No product {payload.product!r}."})
    category = None
    if payload.category:
        category = product.categories.filter(slug=payload.category).first()
        if category is None:
            raise ValidationError({"category": f"{product.name} has no such category."})
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
    post = get_object_or_404(
        Post.objects.select_related("product", "author", "category").prefetch_related("tags"),
        pk=post_id,
    )
    return posts_out(request.user, [post])[0]
