"""Build feedback's part of a fan's data: four-grid reports, stability ratings, and answers
to "did this solve it?"."""

from orangefriday.accounts import export
from orangefriday.accounts.models import User

from .models import Answer, Rating, Report


def _reports(fan: User) -> list[dict]:
    return export.rows(
        Report.objects.filter(fan=fan),
        "build_id", "mood", "loved_id", "least_effective_id", "wanted_id", "created_at",
        "updated_at",
    )  # fmt: skip


def _ratings(fan: User) -> list[dict]:
    return export.rows(Rating.objects.filter(fan=fan), "build_id", "stability", "created_at")


def _answers(fan: User) -> list[dict]:
    return export.rows(
        Answer.objects.filter(fan=fan), "post_id", "build_id", "solved", "comment", "created_at"
    )


export.register("four_grid_reports", _reports)
export.register("ratings", _ratings)
export.register("solved_answers", _answers)
