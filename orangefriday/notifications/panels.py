"""What notifications shows on other apps' pages (core.panels)."""

from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest

from .queries import unread_count


def bell(request: HttpRequest, objects: Sequence[Any]) -> dict[Any, dict[str, Any]]:
    """The header's bell: the signed-in fan's unread count (capped), one query a page."""
    user = request.user
    if not user.is_authenticated:
        return {}
    return {None: {"unread_notifications": unread_count(user)}}  # type: ignore[arg-type]
