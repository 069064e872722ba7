from django.apps import AppConfig
from django.db.models.signals import post_delete


class BoardConfig(AppConfig):
    name = "orangefriday.board"

    def ready(self) -> None:
        from .logs import delete_log_with_post
        from .models import Post

        # A signal, not an action: the admin and cascades delete posts without our actions.
        post_delete.connect(delete_log_with_post, sender=Post)
