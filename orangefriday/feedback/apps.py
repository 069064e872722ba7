from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "orangefriday.feedback"

    def ready(self) -> None:
        from orangefriday.core import panels, schedule
        from orangefriday.releases.asks import add_ship_extra

        from . import (
            consumers,  # noqa: F401  (registers them)
            leaving,  # noqa: F401  (its part of a fan's data, and of erasing it)
        )
        from . import panels as shown
        from .asking import ask_in_email
        from .tasks import give_popcorn_awards

        # The Popcorn Award of each week whose feedback window closed (Tuesday 24:00).
        schedule.register("give popcorn awards", every=60, run=give_popcorn_awards.enqueue)
        panels.register(
            "post.detail", template="feedback/_post_award.html", load=shown.post_awards, order=20
        )
        panels.register(
            "team.detail", template="feedback/_team_awards.html", load=shown.team_awards
        )
        panels.register(
            "build.detail", template="feedback/_build_feedback.html", load=shown.build_feedback
        )
        panels.register(
            "build.row", template="feedback/_build_summary.html", load=shown.build_summaries
        )
        panels.register(
            "post.detail", template="feedback/_post_solved.html", load=shown.post_solved, order=25
        )
        panels.register(
            "build.detail", template="feedback/_build_questions.html", load=shown.build_questions
        )
        add_ship_extra(ask_in_email)
