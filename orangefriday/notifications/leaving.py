"""Notifications' part of a fan's data (what they follow, what they chose to hear of, what
they were told), and of erasing it: all of it goes, and no e-mail waits for them."""

from orangefriday.accounts import erasure, export
from orangefriday.accounts.models import User

from .models import EmailPreference, KindPreference, Notification, OutboxEmail, Subscription


def _follows(fan: User) -> list[dict]:
    return export.rows(Subscription.objects.filter(fan=fan), "post_id", "active", "created_at")


def _choices(fan: User) -> dict:
    email = EmailPreference.objects.filter(fan=fan).values("updates", "digest").first()
    kinds = export.rows(KindPreference.objects.filter(fan=fan), "kind", "in_app", "email")
    return {"email": email, "kinds": kinds}


def _notifications(fan: User) -> list[dict]:
    return export.rows(
        Notification.objects.filter(fan=fan),
        "kind", "post_id", "build_id", "message", "text", "url", "created_at", "read_at",
    )  # fmt: skip


export.register("follows", _follows)
export.register("notification_choices", _choices)
export.register("notifications", _notifications)


def _erase(fan: User, keep_content: bool) -> None:
    for model in (Subscription, EmailPreference, KindPreference, Notification, OutboxEmail):
        model.objects.filter(fan=fan).delete()  # type: ignore[attr-defined]


erasure.register("notifications", _erase)
