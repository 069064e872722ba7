from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "orangefriday.planning"

    def ready(self) -> None:
        from orangefriday.board.rules import add_post_rule
        from orangefriday.core import panels

        from . import leaving  # noqa: F401  (its part of erasing a fan)
        from .panels import post_claim
        from .permissions import claimed_post_rule

        panels.register(
            "post.detail", template="planning/_post_claim.html", load=post_claim, order=10
        )
        add_post_rule(claimed_post_rule)
