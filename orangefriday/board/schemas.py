from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from orangefriday.core.api import Id, InputSchema

from .models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH

KindName = Literal["idea", "bug", "discussion"]
VisibilityName = Literal["visible", "held", "hidden", "removed", "deleted"]
StatusName = Literal[
    "open", "under_review", "planned", "in_progress", "shipped", "declined", "duplicate"
]


# A product's own texts come in both languages, whatever the request's: a client shows the
# one it wants (the Chinese is empty where the engineers gave none; show the English then).
class CategoryOut(Schema):
    slug: str
    name: str
    name_zh: str = Field(description="The name in Simplified Chinese; empty if none was given")


class ProductOut(Schema):
    slug: str
    name: str
    tagline: str
    name_zh: str = Field(description="The name in Simplified Chinese; empty if none was given")
    tagline_zh: str = Field(description="The tagline in Simplified Chinese; empty if none")
    categories: list[CategoryOut]


class PostIn(InputSchema):
    product: str = Field(description="The product's slug, e.g. sound-recorder")
    kind: KindName = "idea"
    title: str = Field(min_length=1, max_length=TITLE_MAX_LENGTH)
    body: str = Field("", max_length=BODY_MAX_LENGTH, description="Markdown")
    category: str | None = Field(None, description="A category slug of that product")
    tags: list[str] = Field(default_factory=list, max_length=5)
    build_version: str = Field("", max_length=40, description="Bug reports: the build")
    found_in_build: Id | None = Field(
        None, description="Bug reports: the id of a published build of the product"
    )
    device: str = Field("", max_length=80, description="Bug reports: the device")


class LogOut(Schema):
    name: str
    size: int
    url: str = Field(description="GET it (reporter and engineers only)")


class ImageOut(Schema):
    id: int
    url: str = Field(description="The image itself (JPEG or PNG), for whoever may see the post")
    alt: str = Field(description='The fan\'s description, else "Image N of the post"')
    width: int
    height: int


class PostOut(Schema):
    id: int
    url: str
    product: str
    kind: KindName
    status: StatusName
    title: str
    body: str
    body_html: str
    category: str | None
    tags: list[str]
    build_version: str
    found_in_build: int | None = Field(description="The id of the build a bug was found in")
    device: str
    has_log: bool = Field(description="A bug's log is attached (see /posts/{id}/log)")
    images: list[ImageOut] = Field(description="Its images, in order (POST /posts/{id}/images)")
    author: str
    created_at: datetime
    votes_count: int
    comments_count: int
    readers_count: int
    weighted_votes: float = Field(description="The votes, each weighed by its fan's trust")
    weighted_readers: float = Field(description="The readers, each weighed by its fan's trust")
    best_score: float = Field(
        description="The best sort's score: votes per reader, with few readers pulled towards "
        "the product's typical rate (see /about/ranking/)"
    )
    shipped_at: datetime | None
    pinned: bool
    featured_at: datetime | None = Field(
        description="When moderators or the product's engineers featured it; null if not"
    )
    merged_into: int | None = Field(description="The original's id, for a merged duplicate")
    visibility: VisibilityName = Field(
        description="Only `visible` posts are listed; the others are shown to their author "
        "and moderators only"
    )
    visibility_reason: str = Field(description='Why it is not visible ("spam")')
    edited_at: datetime | None = Field(description="When its author last edited it")
    voted: bool | None = Field(description="Whether you voted; null when not signed in")


class SearchHighlightOut(Schema):
    title: str = Field(description="The title as HTML, the matched words in <mark>")
    snippet: str = Field(description="Some of the body as HTML around its first match")


class PostListItem(PostOut):
    highlight: SearchHighlightOut | None = Field(
        None, description="With q: the matches, marked (the text is escaped HTML)"
    )


class PostPage(Schema):
    items: list[PostListItem]
    page: int
    has_next: bool


class CommentIn(InputSchema):
    body: str = Field(min_length=1, max_length=BODY_MAX_LENGTH, description="Markdown")
    parent_id: Id | None = None


class CommentOut(Schema):
    id: int
    post_id: int
    parent_id: int | None
    author: str
    official: bool
    body: str = Field(description="Empty for a hidden or deleted comment (a tombstone)")
    body_html: str
    created_at: datetime
    edited_at: datetime | None
    visibility: VisibilityName
    visibility_reason: str


class StatusIn(InputSchema):
    status: Literal["open", "under_review", "planned", "in_progress", "shipped", "declined"]
    note: str = Field("", max_length=BODY_MAX_LENGTH, description="Official response (Markdown)")


class StatusChangeOut(Schema):
    id: int
    post_id: int
    by: str | None = Field(description="The engineer; null for the system's own change")
    from_status: StatusName
    to_status: StatusName
    note: str
    note_html: str
    created_at: datetime


class RoadmapPost(Schema):
    id: int
    title: str
    url: str
    votes_count: int
    shipped_at: datetime | None


class RoadmapOut(Schema):
    planned: list[RoadmapPost]
    in_progress: list[RoadmapPost]
    shipped: list[RoadmapPost]


class SubscriptionOut(Schema):
    post_id: int
    following: bool


class FollowedPost(Schema):
    post_id: int
    title: str
    url: str
    product: str
    status: str
    following_since: datetime


class FollowedPage(Schema):
    items: list[FollowedPost]
    page: int
    has_next: bool


class PostEditIn(InputSchema):
    """The post's new kind, title, body, category and tags (all of them, as on the page)."""

    kind: KindName
    title: str = Field(min_length=1, max_length=TITLE_MAX_LENGTH)
    body: str = Field("", max_length=BODY_MAX_LENGTH, description="Markdown")
    category: str | None = Field(None, description="A category slug of the post's product")
    tags: list[str] = Field(default_factory=list, max_length=5)


class CommentEditIn(InputSchema):
    body: str = Field(min_length=1, max_length=BODY_MAX_LENGTH, description="Markdown")


class PostRevisionOut(Schema):
    """The post as it was before one edit."""

    id: int
    by: str
    created_at: datetime
    kind: KindName
    title: str
    body: str
    category: str = Field(description='The category\'s name then ("" for none)')
    tags: str = Field(description="The tags then, comma-separated")


class CommentRevisionOut(Schema):
    id: int
    by: str
    created_at: datetime
    body: str
