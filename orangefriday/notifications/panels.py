"""What notifications shows on other apps' pages (core.panels)."""

from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest

from .models import Digest
from .preferences import CHOOSABLE, choices, digest_of
from .queries import unread_count, wants_update_emails


def bell(request: HttpRequest, objects: Sequence[Any]) -> dict[Any, dict[str, Any]]:
    """The header's bell: the signed-in fan's unread count (capped), one query a page."""
    user = request.user
    if not user.is_authenticated:
        return {}
    unread = unread_count(user)  # type: ignore[arg-type]
    # All that notifications/_bell.html shows (core.panels: the header is kept rendered).
    return {None: {"unread_notifications": unread, "keep": unread}}


def settings_choices(request: HttpRequest, objects: Sequence[Any]) -> dict[Any, dict[str, Any]]:
    """The settings page's notification choices: one row per kind, and the digest."""
    (fan,) = objects
    chosen = choices(fan)
    return {
        fan.pk: {
            "notification_choices": [
                {"kind": kind.value, "label": kind.label, "choice": chosen[kind.value]}
                for kind in CHOOSABLE
            ],
            "digest": digest_of(fan),
            "digest_choices": Digest.choices,
            "emails_on": wants_update_emails(fan),
        }
    }
