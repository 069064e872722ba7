"""Moderation's part of a fan's data: the flags they filed. Flags others filed against them
stay out: who flagged whom is the flagger's."""

from orangefriday.accounts import export
from orangefriday.accounts.models import User

from .models import Flag


def _flags(fan: User) -> list[dict]:
    return export.rows(
        Flag.objects.filter(flagger=fan), "post_id", "comment_id", "reason", "text", "created_at"
    )


export.register("flags", _flags)
