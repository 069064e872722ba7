from django.apps import AppConfig


class ReleasesConfig(AppConfig):
    name = "orangefriday.releases"

    def ready(self) -> None:
        from django.utils import timezone

        from orangefriday.board.rules import add_post_rule
        from orangefriday.core import panels, schedule

        from . import (
            consumers,  # noqa: F401  (registers them)
            leaving,  # noqa: F401  (its part of a fan's data, and of erasing it)
        )
        from .panels import post_builds
        from .permissions import announcement_rule
        from .stable import guard_rollouts
        from .tasks import cut_due_builds

        # At the top of each minute, so the Friday build is cut seconds after 17:00.
        schedule.register("cut due builds", every=60, run=cut_due_builds.enqueue)
        schedule.register("rollout guard", every=60, run=lambda: guard_rollouts(now=timezone.now()))
        panels.register(
            "post.detail", template="releases/_post_known_issue.html", load=post_builds, order=30
        )
        add_post_rule(announcement_rule)
