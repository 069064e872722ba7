from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema

from orangefriday.accounts.api import SIGNED_IN
from orangefriday.accounts.models import fan_of
from orangefriday.core.api import Id, InputSchema, PageNumber

from .inbox import mark_all_read, mark_read
from .models import Notification
from .preferences import Choice, choices, digest_of, set_choices
from .queries import notifications_page, unread_count

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    message: str
    text: str
    url: str
    post_id: Id | None
    build_id: Id | None
    created_at: datetime
    read: bool
    read_at: datetime | None


class NotificationPage(Schema):
    items: list[NotificationOut]
    page: int
    has_next: bool
    unread_count: int


class NotificationQuery(Schema):
    unread: bool = False
    page: PageNumber = 1


class ReadAllOut(Schema):
    marked: int


def notification_out(notification: Notification) -> dict[str, Any]:
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "message": notification.message,
        "text": notification.text,
        "url": notification.url,
        "post_id": notification.post_id,
        "build_id": notification.build_id,
        "created_at": notification.created_at,
        "read": notification.read_at is not None,
        "read_at": notification.read_at,
    }


@router.get(
    "/notifications",
    response=NotificationPage,
    auth=SIGNED_IN,
    summary="Your notifications, newest first (unread=true for unread only)",
)
def list_notifications(request: HttpRequest, filters: Query[NotificationQuery]) -> dict[str, Any]:
    fan = fan_of(request)
    page = notifications_page(fan, number=filters.page, unread_only=filters.unread)
    return {
        "items": [notification_out(n) for n in page.items],
        "page": page.number,
        "has_next": page.has_next,
        "unread_count": unread_count(fan),
    }


@router.post(
    "/notifications/read-all",
    response=ReadAllOut,
    auth=SIGNED_IN,
    summary="Mark all your notifications read",
)
def read_all(request: HttpRequest) -> dict[str, int]:
    return {"marked": mark_all_read(fan=fan_of(request))}


@router.post(
    "/notifications/{notification_id}/read",
    response=NotificationOut,
    auth=SIGNED_IN,
    summary="Mark one of your notifications read",
)
def read_one(request: HttpRequest, notification_id: Id) -> dict[str, Any]:
    # Another fan's notification is a 404, not a 403: its existence is not theirs to learn.
    return notification_out(mark_read(fan=fan_of(request), notification_id=notification_id))


class KindChoice(InputSchema):
    in_app: bool
    email: bool


# The kinds, as the schema spells them (preferences.CHOOSABLE; a test keeps them equal).
Kind = Literal[
    "reply", "mention", "answer", "status", "response", "shipped", "merged", "hidden", "halted"
]


class KindChoiceOut(Schema):
    in_app: bool
    email: bool


class NotificationSettings(Schema):
    """Each kind of notification, in-app and by email, and the digest's frequency."""

    kinds: dict[Kind, KindChoiceOut]
    digest: Literal["off", "daily", "weekly"]


class NotificationSettingsIn(InputSchema):
    """Kinds left out keep their choice; the digest left out keeps its frequency."""

    kinds: dict[Kind, KindChoice] = {}
    digest: Literal["off", "daily", "weekly"] | None = None


def settings_out(fan: Any) -> dict[str, Any]:
    return {
        "kinds": {kind: vars(choice) for kind, choice in choices(fan).items()},
        "digest": digest_of(fan),
    }


@router.get(
    "/me/notification-settings",
    response=NotificationSettings,
    auth=SIGNED_IN,
    summary="What you hear of: each kind in-app and by email, and the digest",
)
def get_settings(request: HttpRequest) -> dict[str, Any]:
    return settings_out(fan_of(request))


@router.put(
    "/me/notification-settings",
    response=NotificationSettings,
    auth=SIGNED_IN,
    summary="Change what you hear of",
)
def put_settings(request: HttpRequest, body: NotificationSettingsIn) -> dict[str, Any]:
    fan = fan_of(request)
    set_choices(
        fan=fan,
        kinds={kind: Choice(choice.in_app, choice.email) for kind, choice in body.kinds.items()},
        digest=body.digest or digest_of(fan),
    )
    return settings_out(fan)
