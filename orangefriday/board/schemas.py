from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from orangefriday.core.api import Id, InputSchema

from .models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH

KindName = Literal["idea", "bug", "discussion"]
StatusName = Literal[
    "open", "under_review", "planned", "in_progress", "shipped", "declined", "duplicate"
]


class CategoryOut(Schema):
    slug: str
    name: str


class ProductOut(Schema):
    slug: str
    name: str
    tagline: str
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
    author: str
    created_at: datetime
    votes_count: int
    comments_count: int
    readers_count: int
    shipped_at: datetime | None
    pinned: bool
    merged_into: int | None = Field(description="The original's id, for a merged duplicate")
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
    body: str
    body_html: str
    created_at: datetime


class StatusIn(InputSchema):
    status: Literal["open", "under_review", "planned", "in_progress", "shipped", "declined"]
    note: str = Field("", max_length=BODY_MAX_LENGTH, description="Official response (Markdown)")


class StatusChangeOut(Schema):
    id: int
    post_id: int
    by: str
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
