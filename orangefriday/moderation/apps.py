from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "orangefriday.moderation"

    def ready(self) -> None:
        from orangefriday.board.rules import add_hold_rule
        from orangefriday.core import panels, schedule

        from . import (
            consumers,  # noqa: F401  (registers them)
            leaving,  # noqa: F401  (its part of a fan's data, and of erasing it)
        )
        from .actions import count_votes_after_silences, recompute_trust_levels
        from .panels import comment_flags, post_flag, profile_trust
        from .trust import hold_new_fans_links

        add_hold_rule(hold_new_fans_links)
        schedule.register("silences ended", every=60, run=count_votes_after_silences)
        schedule.register("trust levels", every=600, run=recompute_trust_levels)
        panels.register("post.detail", template="moderation/_flag_post.html", load=post_flag)
        panels.register("comment.row", template="moderation/_flag_comment.html", load=comment_flags)
        panels.register(
            "profile", template="moderation/_profile_trust.html", load=profile_trust, order=5
        )
