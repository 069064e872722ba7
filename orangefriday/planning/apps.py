from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "orangefriday.planning"

    def ready(self) -> None:
        from orangefriday.board.rules import add_post_rule

        from .permissions import claimed_post_rule

        add_post_rule(claimed_post_rule)
