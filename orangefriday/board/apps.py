from django.apps import AppConfig
from django.db.models.signals import post_delete


class BoardConfig(AppConfig):
    name = "orangefriday.board"

    def ready(self) -> None:
        from orangefriday.core import panels, schedule

        from . import (
            consumers,  # noqa: F401  (registers them)
            leaving,  # noqa: F401  (its part of a fan's data, and of erasing it)
        )
        from .digest import start_digests
        from .logs import delete_log_with_post
        from .models import Post, PostImage
        from .panels import fans_posts
        from .pictures import delete_file_with_image
        from .tasks import refit_rates

        # A signal, not an action: the admin and cascades delete posts without our actions.
        post_delete.connect(delete_log_with_post, sender=Post)
        post_delete.connect(delete_file_with_image, sender=PostImage)
        # The "best" sort's typical rate moves slowly: an hour is often enough, and the
        # refit reads every post of a product.
        schedule.register("refit typical rates", every=3600, run=refit_rates.enqueue)
        schedule.register("digests", every=600, run=start_digests)
        panels.register("profile", template="board/_profile_posts.html", load=fans_posts, order=10)
