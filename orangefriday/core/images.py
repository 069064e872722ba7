"""Images fans upload (avatars, pictures in posts): one way to take them in and send them.

An upload is never kept as sent. Pillow decodes it, refusing what is not a JPEG, PNG, WebP
or GIF or has more pixels than settings.IMAGE_MAX_PIXELS (a small file can claim a huge
canvas), turns it upright as the camera meant, shrinks it to fit, and encodes it anew:
that drops its metadata (EXIF with GPS position and camera serial) and anything hidden
after the pixels, and proves it is an image. It is stored under settings.IMAGE_ROOT, under
a random name, and only ever sent by `image_response`: with its own image type, nosniff and
a policy that runs nothing, so a crafted file can never be served as a page.
"""

import io
import os
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
CONTENT_TYPES = {".jpg": "image/jpeg", ".png": "image/png"}


@deconstructible(path="orangefriday.core.images.ImageStorage")
class ImageStorage(FileSystemStorage):
    """Files under settings.IMAGE_ROOT, read at each use (tests point it elsewhere)."""

    @property  # type: ignore[override]
    def base_location(self) -> str:
        return str(settings.IMAGE_ROOT)

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.abspath(self.base_location)


def image_path(instance: Any, filename: str) -> str:
    """A random name in a folder per model; only the extension `clean_image` chose is kept."""
    extension = os.path.splitext(filename)[1]
    return f"{instance._meta.model_name}/{uuid.uuid4().hex}{extension}"


@dataclass(frozen=True)
class CleanImage:
    file: ContentFile  # named "image.jpg" or "image.png"; save it to an ImageStorage field
    width: int
    height: int


def clean_image(upload: UploadedFile, *, field: str, max_side: int) -> CleanImage:
    """The upload re-encoded to fit in a square of `max_side`; ValidationError on `field`
    (saying what is wrong and the limit) for anything that is not a usable image."""
    _check_size(upload, field)
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            if image.format not in ACCEPTED_FORMATS:
                raise _invalid(field)
            _check_pixels(image, field)
            image.seek(0)  # the first frame of an animation
            image.load()
            picture = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _invalid(field) from None
    picture.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return _encode(picture)


def _check_size(upload: UploadedFile, field: str) -> None:
    size, limit = upload.size or 0, settings.IMAGE_MAX_BYTES
    if size == 0:
        raise ValidationError({field: _("This image file is empty.")})
    if size > limit:
        raise ValidationError(
            {
                field: _("An image is at most %(limit)s MB; this one is %(size).1f MB.")
                % {"limit": limit // (1024 * 1024), "size": size / 1024 / 1024}
            }
        )


def _check_pixels(image: Image.Image, field: str) -> None:
    width, height = image.size
    if width * height > settings.IMAGE_MAX_PIXELS:
        raise ValidationError(
            {
                field: _("An image has at most %(limit)s million pixels; this one has %(size)s.")
                % {
                    "limit": settings.IMAGE_MAX_PIXELS // 1_000_000,
                    "size": f"{width}x{height}",
                }
            }
        )


def _invalid(field: str) -> ValidationError:
    return ValidationError({field: _("Upload a JPEG, PNG, WebP or GIF image.")})


def _encode(picture: Image.Image) -> CleanImage:
    """PNG where there is transparency (or a palette, as in drawings), JPEG otherwise; no
    metadata is passed on."""
    has_alpha = picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info
    buffer = io.BytesIO()
    if has_alpha or picture.mode == "P":
        picture.convert("RGBA" if has_alpha else "RGB").save(buffer, "PNG", optimize=True)
        name = "image.png"
    else:
        picture.convert("RGB").save(buffer, "JPEG", quality=85, optimize=True)
        name = "image.jpg"
    return CleanImage(ContentFile(buffer.getvalue(), name=name), *picture.size)


def image_response(image: FieldFile, *, private: bool = False) -> FileResponse:
    """A stored image, as an image and nothing else."""
    extension = os.path.splitext(image.name or "")[1]
    response = FileResponse(image.open("rb"), content_type=CONTENT_TYPES[extension])
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    # The name is random and never reused, so a public image may be kept for long.
    response["Cache-Control"] = "private, no-store" if private else "public, max-age=31536000"
    return response
