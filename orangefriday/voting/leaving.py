"""Voting's part of a fan's data: the posts they voted for."""

from orangefriday.accounts import export
from orangefriday.accounts.models import User

from .models import Vote


def _votes(fan: User) -> list[dict]:
    return export.rows(Vote.objects.filter(fan=fan), "post_id", "created_at")


export.register("votes", _votes)
