"""Bug logs: the files fans attach to bug reports.

A log may hold anything, an HTML page or a script included, so it is stored outside every
directory a web server serves (settings.BUG_LOG_ROOT, under a random name) and only ever
sent by `log_response`: as an attachment, with a content type no browser renders and
nosniff, to the fans `permissions.can_read_log` allows.
"""

import os
import uuid
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import FileResponse
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext

if TYPE_CHECKING:
    from .models import Post

LOG_MAX_BYTES = 5 * 1024 * 1024
LOG_NAME_MAX_LENGTH = 200


@deconstructible(path="orangefriday.board.logs.LogStorage")
class LogStorage(FileSystemStorage):
    """Files under settings.BUG_LOG_ROOT, read at each use (tests point it elsewhere)."""

    @property  # type: ignore[override]
    def base_location(self) -> str:
        return str(settings.BUG_LOG_ROOT)

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.abspath(self.base_location)


def log_path(instance: Any, filename: str) -> str:
    # Nothing of the fan's file name reaches the disk.
    return f"{instance.product_id}/{uuid.uuid4().hex}.log"


def check_log(log: UploadedFile) -> str:
    """The name to download the log under; ValidationError on `log` if it cannot be kept."""
    size = log.size or 0
    if size > LOG_MAX_BYTES:
        raise ValidationError(
            {"log": f"A log is at most 5 MB; this one is {size / 1024 / 1024:.1f} MB."}
        )
    if size == 0:
        raise ValidationError({"log": gettext("This log file is empty.")})
    name = os.path.basename((log.name or "").replace("\\", "/"))
    name = "".join(c for c in name if c.isprintable()).strip()
    return name[-LOG_NAME_MAX_LENGTH:] or "bug.log"


def store_log(post: "Post", log: UploadedFile, name: str) -> None:
    """Write the file and set the post's log fields (the caller saves the row)."""
    post.log.save("log", log, save=False)
    post.log_name = name
    post.log_size = log.size or 0


def log_response(post: "Post") -> FileResponse:
    """The log as a download that no browser displays or runs."""
    response = FileResponse(
        post.log.open("rb"),
        as_attachment=True,
        filename=post.log_name,
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def delete_log_with_post(sender: type, instance: "Post", **kwargs: Any) -> None:
    """post_delete: a post deleted any way (in the admin, or with its product or its author)
    takes its log off the disk once the deletion commits; a rolled-back one keeps it."""
    if instance.log:
        transaction.on_commit(partial(instance.log.storage.delete, instance.log.name))
