from django.apps import AppConfig


class VotingConfig(AppConfig):
    name = "orangefriday.voting"

    def ready(self) -> None:
        from django.utils import timezone

        from orangefriday.core import panels, schedule

        from . import (
            consumers,  # noqa: F401  (registers them)
            leaving,  # noqa: F401  (its part of a fan's data, and of erasing it)
        )
        from .actions import expire_trending_votes
        from .panels import api_voted, fans_votes, vote_buttons

        schedule.register(
            "expire trending votes", every=60, run=lambda: expire_trending_votes(now=timezone.now())
        )
        panels.register("post.vote", template="voting/vote_button.html", load=vote_buttons)
        panels.register("post.row", template="voting/vote_button.html", load=vote_buttons)
        panels.register("post.api", template="", load=api_voted)
        panels.register("profile", template="voting/_profile_votes.html", load=fans_votes, order=20)
