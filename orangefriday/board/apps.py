from django.apps import AppConfig
from django.db.models.signals import post_delete


class BoardConfig(AppConfig):
    name = "orangefriday.board"

    def ready(self) -> None:
        from orangefriday.core import panels

        from . import consumers  # noqa: F401  (registers them)
        from .logs import delete_log_with_post
        from .models import Post
        from .panels import fans_posts

        # A signal, not an action: the admin and cascades delete posts without our actions.
        post_delete.connect(delete_log_with_post, sender=Post)
        panels.register("profile", template="board/_profile_posts.html", load=fans_posts, order=10)
