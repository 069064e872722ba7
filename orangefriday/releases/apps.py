from django.apps import AppConfig


class ReleasesConfig(AppConfig):
    name = "orangefriday.releases"

    def ready(self) -> None:
        from orangefriday.board.rules import add_post_rule

        from .permissions import announcement_rule

        add_post_rule(announcement_rule)
