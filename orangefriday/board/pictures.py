"""A post's images leave the disk with their rows."""

from functools import partial
from typing import Any

from django.db import transaction

from .models import PostImage


def delete_file_with_image(sender: type, instance: PostImage, **kwargs: Any) -> None:
    """post_delete: an image deleted any way (taken off its post, or with the post, its
    product or its author) leaves the disk once the deletion commits; a rolled-back one
    keeps its file."""
    if instance.file:
        transaction.on_commit(partial(instance.file.storage.delete, instance.file.name))
