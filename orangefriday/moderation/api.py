"""Moderation in the JSON API: flags, the queue and its decisions, restoring, fans'
silences, suspensions and leader level, the log, and trust levels. Same permissions as the
pages (permissions.py), same actions."""

from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Field, Router, Schema, Status

from orangefriday.accounts.api import ANYONE, SIGNED_IN, idempotent
from orangefriday.accounts.models import TrustLevel, User, fan_of
from orangefriday.board.models import Comment, Post
from orangefriday.core.api import Id, InputSchema, IsoDateTime, PageNumber
from orangefriday.core.paging import page_of

from . import actions
from .models import REASON_MAX_LENGTH, TEXT_MAX_LENGTH, Flag, LogEntry, Review
from .permissions import can_sanction, sees_queue
from .queries import log, queue_for
from .trust import Limit, next_level, requirements, stats_of

router = Router(tags=["moderation"])

FlagReasonName = Literal["spam", "abusive", "off_topic", "duplicate", "other"]
DecisionName = Literal["approve", "hide", "delete", "merge", "hide_and_silence"]


class FlagIn(InputSchema):
    reason: FlagReasonName
    text: str = Field("", max_length=TEXT_MAX_LENGTH, description="Required for `other`")
    original_id: Id | None = Field(None, description="Required for `duplicate`: the original")


class FlagOut(Schema):
    id: int
    post_id: int
    comment_id: int | None
    reason: FlagReasonName
    weight: float = Field(description="From your trust level and your standing as a flagger")
    state: Literal["pending", "upheld", "rejected"]
    created_at: datetime


def flag_out(flag: Flag) -> dict[str, Any]:
    return {
        "id": flag.pk,
        "post_id": flag.post_id,
        "comment_id": flag.comment_id,
        "reason": flag.reason,
        "weight": flag.weight,
        "state": flag.state,
        "created_at": flag.created_at,
    }


def _original(original_id: int | None) -> Post | None:
    if original_id is None:
        return None
    original = Post.objects.filter(pk=original_id).first()
    if original is None:
        raise ValidationError(
            {"original_id": gettext("No post %(original_id)s.") % {"original_id": original_id}}
        )
    return original


@router.post(
    "/posts/{post_id}/flags",
    response={201: FlagOut},
    auth=SIGNED_IN,
    summary="Flag a post for moderators (once per fan)",
)
@idempotent
def flag_post(request: HttpRequest, post_id: Id, payload: FlagIn) -> Any:
    post = get_object_or_404(Post.objects.visible().select_related("product"), pk=post_id)
    flag = actions.flag_item(
        flagger=fan_of(request),
        post=post,
        reason=payload.reason,
        text=payload.text,
        original=_original(payload.original_id),
    )
    return Status(201, flag_out(flag))


@router.post(
    "/comments/{comment_id}/flags",
    response={201: FlagOut},
    auth=SIGNED_IN,
    summary="Flag a comment for moderators (once per fan)",
)
@idempotent
def flag_comment(request: HttpRequest, comment_id: Id, payload: FlagIn) -> Any:
    comment = get_object_or_404(
        Comment.objects.filter(post__in=Post.objects.visible()).select_related("post"),
        pk=comment_id,
    )
    flag = actions.flag_item(
        flagger=fan_of(request),
        post=comment.post,
        comment=comment,
        reason=payload.reason,
        text=payload.text,
        original=_original(payload.original_id),
    )
    return Status(201, flag_out(flag))


class ReviewFlagOut(Schema):
    reason: FlagReasonName
    text: str
    original_id: int | None
    flagger: str
    trust_level: int
    weight: float


class ReviewOut(Schema):
    id: int
    product: str
    post_id: int
    comment_id: int | None
    title: str
    body: str
    author: str
    author_trust_level: int
    visibility: str
    held: bool
    weight: float
    state: Literal["open", "decided"]
    decision: str
    flags: list[ReviewFlagOut]


class ReviewPage(Schema):
    items: list[ReviewOut]
    page: int
    has_next: bool


def review_out(review: Review) -> dict[str, Any]:
    item = review.item
    return {
        "id": review.pk,
        "product": review.product.slug,
        "post_id": review.post_id,
        "comment_id": review.comment_id,
        "title": review.post.title,
        "body": item.body,
        "author": item.author.username,
        "author_trust_level": item.author.trust_level,
        "visibility": item.visibility,
        "held": review.held,
        "weight": review.weight,
        "state": review.state,
        "decision": review.decision,
        "flags": [
            {
                "reason": f.reason,
                "text": f.text,
                "original_id": f.original_id,
                "flagger": f.flagger.username,
                "trust_level": f.trust_level,
                "weight": f.weight,
            }
            for f in review.flags.all()
        ],
    }


@router.get(
    "/moderation/queue",
    response=ReviewPage,
    auth=SIGNED_IN,
    summary="The moderation queue (moderators: every product; engineers: theirs)",
)
def get_queue(request: HttpRequest, page: PageNumber = 1) -> dict[str, Any]:
    user = fan_of(request)
    if not sees_queue(user):
        raise PermissionDenied("The queue is for moderators and engineers.")
    result = page_of(queue_for(user), page)
    return {
        "items": [review_out(r) for r in result.items],
        "page": result.number,
        "has_next": result.has_next,
    }


class DecisionIn(InputSchema):
    decision: DecisionName
    reason: str = Field(
        "", max_length=REASON_MAX_LENGTH, description="Required to hide or delete: the fan sees it"
    )
    original_id: Id | None = Field(None, description="For `merge`: the original")
    until: IsoDateTime | None = Field(
        None, description="For `hide_and_silence`: silenced until (ISO 8601)"
    )


@router.post(
    "/moderation/reviews/{review_id}/decision",
    response=ReviewOut,
    auth=SIGNED_IN,
    summary="Decide on a queue item (moderators, and the product's engineers)",
)
def decide(request: HttpRequest, review_id: Id, payload: DecisionIn) -> dict[str, Any]:
    review = get_object_or_404(
        Review.objects.select_related("product", "post", "comment"), pk=review_id
    )
    decided = actions.decide(
        by=fan_of(request),
        review=review,
        decision=payload.decision,
        reason=payload.reason,
        original=_original(payload.original_id),
        until=payload.until,
    )
    return review_out(queue_reviews().get(pk=decided.pk))


def queue_reviews():  # the queue's own select, for one review
    return Review.objects.select_related(
        "product", "post", "post__author", "comment", "comment__author"
    ).prefetch_related("flags", "flags__flagger")


class VisibilityOut(Schema):
    post_id: int
    comment_id: int | None
    visibility: str


@router.post(
    "/posts/{post_id}/restore",
    response=VisibilityOut,
    auth=SIGNED_IN,
    summary="Show a hidden post again (moderators, and the product's engineers)",
)
def restore_post(request: HttpRequest, post_id: Id) -> dict[str, Any]:
    post = get_object_or_404(Post.objects.select_related("product"), pk=post_id)
    actions.restore(by=fan_of(request), post=post)
    return {"post_id": post.pk, "comment_id": None, "visibility": post.visibility}


@router.post(
    "/comments/{comment_id}/restore",
    response=VisibilityOut,
    auth=SIGNED_IN,
    summary="Show a hidden comment again (moderators, and the product's engineers)",
)
def restore_comment(request: HttpRequest, comment_id: Id) -> dict[str, Any]:
    comment = get_object_or_404(
        Comment.objects.select_related("post", "post__product"), pk=comment_id
    )
    actions.restore(by=fan_of(request), post=comment.post, comment=comment)
    return {"post_id": comment.post_id, "comment_id": comment.pk, "visibility": comment.visibility}


class FeaturedOut(Schema):
    post_id: int
    featured_at: datetime | None = Field(description="When it was featured; null if not")


def _feature(request: HttpRequest, post_id: int, featured: bool) -> dict[str, Any]:
    post = get_object_or_404(Post.objects.select_related("product"), pk=post_id)
    post = actions.feature(by=fan_of(request), post=post, featured=featured)
    return {"post_id": post.pk, "featured_at": post.featured_at}


@router.put(
    "/posts/{post_id}/feature",
    response=FeaturedOut,
    auth=SIGNED_IN,
    summary="Feature a post: its author earns points (moderators, and the product's engineers)",
)
def feature_post(request: HttpRequest, post_id: Id) -> dict[str, Any]:
    return _feature(request, post_id, True)


@router.delete(
    "/posts/{post_id}/feature",
    response=FeaturedOut,
    auth=SIGNED_IN,
    summary="Stop featuring a post: its points are taken back",
)
def unfeature_post(request: HttpRequest, post_id: Id) -> dict[str, Any]:
    return _feature(request, post_id, False)


class SanctionIn(InputSchema):
    until: IsoDateTime = Field(description="ISO 8601, in the future")
    reason: str = Field(min_length=1, max_length=REASON_MAX_LENGTH, description="The fan sees it")


class SilenceIn(SanctionIn):
    hide_content: bool = Field(False, description="Decline and block: hide all they wrote")


class FanStateOut(Schema):
    username: str
    trust_level: int
    silenced_until: datetime | None
    silence_reason: str
    suspended_until: datetime | None
    suspension_reason: str


def fan_state(fan: User) -> dict[str, Any]:
    fan.refresh_from_db()
    return {
        "username": fan.username,
        "trust_level": fan.trust_level,
        "silenced_until": fan.silenced_until if fan.is_silenced else None,
        "silence_reason": fan.silence_reason if fan.is_silenced else "",
        "suspended_until": fan.suspended_until if fan.is_suspended else None,
        "suspension_reason": fan.suspension_reason if fan.is_suspended else "",
    }


def _fan(username: str) -> User:
    return get_object_or_404(User, username=username, is_active=True)


@router.put(
    "/fans/{username}/silence",
    response=FanStateOut,
    auth=SIGNED_IN,
    summary="Silence a fan until a moment, with a reason (moderators)",
)
def silence(request: HttpRequest, username: str, payload: SilenceIn) -> dict[str, Any]:
    fan = _fan(username)
    actions.silence(
        by=fan_of(request),
        fan=fan,
        until=payload.until,
        reason=payload.reason,
        hide_content=payload.hide_content,
    )
    return fan_state(fan)


@router.delete(
    "/fans/{username}/silence",
    response=FanStateOut,
    auth=SIGNED_IN,
    summary="Lift a fan's silence (moderators)",
)
def unsilence(request: HttpRequest, username: str) -> dict[str, Any]:
    fan = _fan(username)
    actions.lift_silence(by=fan_of(request), fan=fan)
    return fan_state(fan)


@router.put(
    "/fans/{username}/suspension",
    response=FanStateOut,
    auth=SIGNED_IN,
    summary="Suspend a fan (no log-in) until a moment, with a reason (moderators)",
)
def suspend(request: HttpRequest, username: str, payload: SanctionIn) -> dict[str, Any]:
    fan = _fan(username)
    actions.suspend(by=fan_of(request), fan=fan, until=payload.until, reason=payload.reason)
    return fan_state(fan)


@router.delete(
    "/fans/{username}/suspension",
    response=FanStateOut,
    auth=SIGNED_IN,
    summary="Lift a fan's suspension (moderators)",
)
def unsuspend(request: HttpRequest, username: str) -> dict[str, Any]:
    fan = _fan(username)
    actions.lift_suspension(by=fan_of(request), fan=fan)
    return fan_state(fan)


@router.put(
    "/fans/{username}/leader",
    response=FanStateOut,
    auth=SIGNED_IN,
    summary="Make a fan a leader, trust level 4 (moderators)",
)
def make_leader(request: HttpRequest, username: str) -> dict[str, Any]:
    fan = _fan(username)
    actions.set_leader(by=fan_of(request), fan=fan, leader=True)
    return fan_state(fan)


@router.delete(
    "/fans/{username}/leader",
    response=FanStateOut,
    auth=SIGNED_IN,
    summary="Take a fan's leader level back (moderators)",
)
def unmake_leader(request: HttpRequest, username: str) -> dict[str, Any]:
    fan = _fan(username)
    actions.set_leader(by=fan_of(request), fan=fan, leader=False)
    return fan_state(fan)


class RequirementOut(Schema):
    label: str
    have: float
    need: float
    met: bool
    at_most: bool = Field(description='An upper bound ("at most 5 flags upheld")')


class TrustOut(Schema):
    username: str
    trust_level: int
    level_name: str
    next_level: int | None
    next_requires: list[RequirementOut] | None = Field(
        description="What the next level needs: for the fan themselves and moderators"
    )


@router.get(
    "/fans/{username}/trust",
    response=TrustOut,
    auth=ANYONE,
    summary="A fan's trust level (and, for themselves and moderators, what the next needs)",
)
def trust(request: HttpRequest, username: str) -> dict[str, Any]:
    fan = _fan(username)
    upcoming = next_level(fan.trust_level)
    shown = request.user.pk == fan.pk or can_sanction(request.user)
    needs = None
    if shown and upcoming is not None:
        needs = [
            {
                "label": str(r.label),
                "have": r.have,
                "need": r.need,
                "met": r.met,
                "at_most": isinstance(r, Limit),
            }
            for r in requirements(upcoming, stats_of(fan, now=timezone.now()))
        ]
    return {
        "username": fan.username,
        "trust_level": fan.trust_level,
        "level_name": str(TrustLevel(fan.trust_level).label),
        "next_level": upcoming,
        "next_requires": needs,
    }


class LogEntryOut(Schema):
    id: int
    created_at: datetime
    moderator: str | None = Field(description="None: the flags hid it by themselves")
    action: str
    fan: str | None
    post_id: int | None
    comment_id: int | None
    reason: str
    until: datetime | None


class LogPage(Schema):
    items: list[LogEntryOut]
    page: int
    has_next: bool


def log_out(entry: LogEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "created_at": entry.created_at,
        "moderator": entry.moderator.username if entry.moderator else None,
        "action": entry.action,
        "fan": entry.fan.username if entry.fan else None,
        "post_id": entry.post_id,
        "comment_id": entry.comment_id,
        "reason": entry.reason,
        "until": entry.until,
    }


@router.get(
    "/moderation/log", response=LogPage, auth=SIGNED_IN, summary="The moderation log (moderators)"
)
def get_log(request: HttpRequest, page: PageNumber = 1) -> dict[str, Any]:
    if not can_sanction(request.user):
        raise PermissionDenied("The moderation log is for moderators.")
    result = page_of(log(), page)
    return {
        "items": [log_out(e) for e in result.items],
        "page": result.number,
        "has_next": result.has_next,
    }
