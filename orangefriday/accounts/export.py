"""Download my data: one JSON document of everything a fan gave, each app contributing the
part it owns (accounts imports no later app, DESIGN.md §3).

An app registers its part from its `AppConfig.ready`:

    export.register("votes", lambda fan: export.rows(Vote.objects.filter(fan=fan), "post_id", …))

A part returns what the fan gave or chose, never another fan's private data (who flagged
them, whom they referred), a password hash or a token's secret.
"""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from .models import User

Part = Callable[[User], Any]
_parts: dict[str, Part] = {}


def register(name: str, part: Part) -> None:
    """Add `part(fan)` to every export under `name` (registering a name again replaces it)."""
    _parts[name] = part


def rows(queryset: QuerySet, *fields: str) -> list[dict[str, Any]]:
    """The named fields of each row, oldest first: a part lists them, so a field added to a
    model later (a secret, another fan's id) stays out until someone decides it belongs."""
    return list(queryset.order_by("pk").values(*fields))


def export_of(fan: User) -> dict[str, Any]:
    """The fan's data, part by part, with when it was made."""
    return {
        "exported_at": timezone.now(),
        **{name: part(fan) for name, part in sorted(_parts.items())},
    }


def _account(fan: User) -> dict[str, Any]:
    return {
        "username": fan.username,
        "display_name": fan.display_name,
        "email": fan.email,
        "email_verified_at": fan.email_verified_at,
        "first_name": fan.first_name,
        "last_name": fan.last_name,
        "bio": fan.bio,
        "role": fan.role,
        "trust_level": fan.trust_level,
        "language": fan.language,
        "time_zone": fan.time_zone,
        "date_joined": fan.date_joined,
        "last_login": fan.last_login,
        "avatar_url": fan.avatar_url or None,
    }


def _tokens(fan: User) -> list[dict[str, Any]]:
    # The hint is the start the settings page shows; the hash never leaves the database.
    return rows(
        fan.api_tokens.all(),
        "name",
        "hint",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )


register("account", _account)
register("api_tokens", _tokens)
