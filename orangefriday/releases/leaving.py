"""Releases' part of a fan's data: the builds they said they installed."""

from orangefriday.accounts import export
from orangefriday.accounts.models import User

from .models import Installation


def _installations(fan: User) -> list[dict]:
    return export.rows(Installation.objects.filter(fan=fan), "build_id", "created_at")


export.register("installed_builds", _installations)
