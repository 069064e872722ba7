"""Reputation's part of a fan's data: the points ledger, medals, and the tester programmes."""

from orangefriday.accounts import export
from orangefriday.accounts.models import User

from .models import Attempt, Entry, Medal, Tester


def _points(fan: User) -> list[dict]:
    return export.rows(
        Entry.objects.filter(fan=fan), "product__slug", "points", "reason", "note", "created_at"
    )


def _medals(fan: User) -> list[dict]:
    return export.rows(Medal.objects.filter(fan=fan), "code", "awarded_at")


def _testers(fan: User) -> dict:
    return {
        "programmes": export.rows(
            Tester.objects.filter(fan=fan),
            "programme__product__slug",
            "status",
            "joined_at",
            "ended_at",
            "end_reason",
        ),
        "quiz_attempts": export.rows(
            Attempt.objects.filter(fan=fan),
            "programme__product__slug",
            "score",
            "passed",
            "created_at",
        ),
    }


export.register("points", _points)
export.register("medals", _medals)
export.register("testers", _testers)
