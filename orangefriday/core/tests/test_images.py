"""Uploaded images are re-encoded: metadata gone, upright, shrunk, and only images pass."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from orangefriday.core.images import clean_image

GPS = 0x8825
ORIENTATION = 0x0112


def upload(
    image: Image.Image, fmt: str = "JPEG", name: str = "photo.jpg", **save
) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **save)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def opened(clean) -> Image.Image:
    return Image.open(io.BytesIO(clean.file.read()))


def errors(excinfo) -> list[str]:
    return excinfo.value.message_dict["avatar"]


def test_a_photo_loses_its_gps_position_and_camera_details():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[GPS] = {1: "N", 2: (39.0, 54.0, 27.0)}
    clean = clean_image(
        upload(Image.new("RGB", (40, 30), "orange"), exif=exif), field="avatar", max_side=256
    )

    result = opened(clean)
    assert result.format == "JPEG" and clean.file.name == "image.jpg"
    assert dict(result.getexif()) == {}
    assert b"PhoneMaker" not in clean.file.read()


def test_a_big_photo_is_shrunk_to_fit_and_turned_upright():
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # taken holding the phone upright: stored sideways
    clean = clean_image(
        upload(Image.new("RGB", (3000, 1000)), exif=exif), field="avatar", max_side=600
    )
    assert (clean.width, clean.height) == (200, 600)
    assert opened(clean).size == (200, 600)


def test_transparency_is_kept_as_png():
    drawing = Image.new("RGBA", (10, 10), (255, 0, 0, 0))
    clean = clean_image(upload(drawing, "PNG", "logo.png"), field="avatar", max_side=256)
    assert clean.file.name == "image.png" and opened(clean).mode == "RGBA"


@pytest.mark.parametrize(
    "content",
    [
        b"<html><script>alert(1)</script></html>",
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,  # a PNG signature and nothing usable
    ],
)
def test_what_is_not_an_image_is_refused_with_the_formats_named(content):
    with pytest.raises(ValidationError) as excinfo:
        clean_image(SimpleUploadedFile("x.png", content), field="avatar", max_side=256)
    assert errors(excinfo) == ["Upload a JPEG, PNG, WebP or GIF image."]


def test_an_image_format_the_site_does_not_take_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        clean_image(upload(Image.new("RGB", (8, 8)), "BMP", "x.bmp"), field="avatar", max_side=256)
    assert errors(excinfo) == ["Upload a JPEG, PNG, WebP or GIF image."]


def test_too_many_pixels_are_refused_before_decoding(settings):
    settings.IMAGE_MAX_PIXELS = 1_000_000
    with pytest.raises(ValidationError) as excinfo:
        clean_image(
            upload(Image.new("L", (2000, 1000)), "PNG", "x.png"), field="avatar", max_side=256
        )
    assert errors(excinfo) == ["An image has at most 1 million pixels; this one has 2000x1000."]


def test_a_file_over_the_size_limit_or_empty_is_refused(settings):
    settings.IMAGE_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("x.jpg", b"\xff" * (1024 * 1024 + 1))
    with pytest.raises(ValidationError) as excinfo:
        clean_image(big, field="avatar", max_side=256)
    assert errors(excinfo) == ["An image is at most 1 MB; this one is 1.0 MB."]
    with pytest.raises(ValidationError) as excinfo:
        clean_image(SimpleUploadedFile("x.jpg", b""), field="avatar", max_side=256)
    assert errors(excinfo) == ["This image file is empty."]
