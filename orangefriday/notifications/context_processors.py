from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .queries import unread_count


def notifications(request: HttpRequest) -> dict[str, Any]:
    """`unread_notifications` for the bell: counted only if a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
