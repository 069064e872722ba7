from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "orangefriday.planning"

    def ready(self) -> None:
        from orangefriday.core import panels

        from .panels import post_claim

        panels.register(
            "post.detail", template="planning/_post_claim.html", load=post_claim, order=10
        )
