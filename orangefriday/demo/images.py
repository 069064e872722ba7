"""Images in the demo: two Sound Recorder posts carry pictures, drawn here with Pillow (no
binary file in the repository) and attached the way a fan attaches them."""

import io
import math
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from orangefriday.board.actions import ImageUpload, attach_image
from orangefriday.board.models import Kind, Post

INK, ORANGE, GREY, RED = (24, 24, 27), (255, 105, 0), (120, 120, 128), (220, 38, 38)


def load_images() -> int:
    """Pictures on the most voted bug report and idea of Sound Recorder; how many. Drawn
    with their own random numbers, so that the rest of the demo stays as it was."""
    rng = random.Random(15)
    shown = Post.objects.visible().filter(product__slug="sound-recorder")
    attached = 0
    bug = shown.filter(kind=Kind.BUG).order_by("-votes_count", "pk").first()
    if bug is not None:
        attached += _attach(
            bug,
            _recording_screen(rng, stops_at=0.55),
            "The recording screen: the waveform stops half-way while the timer keeps running",
        )
        attached += _attach(bug, _recording_screen(rng, stops_at=1.0), "")
    idea = shown.filter(kind=Kind.IDEA).order_by("-votes_count", "pk").first()
    if idea is not None:
        attached += _attach(idea, _sketch(), "A sketch: a mute switch beside the record button")
    return attached


def _attach(post: Post, picture: Image.Image, alt: str) -> int:
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    upload = SimpleUploadedFile("demo.png", buffer.getvalue(), content_type="image/png")
    attach_image(by=post.author, post=post, image=ImageUpload(file=upload, alt=alt), limited=False)
    return 1


def _recording_screen(rng: random.Random, *, stops_at: float) -> Image.Image:
    """A phone's recording screen: a waveform (flat after `stops_at` of the width), a timer
    and the record button."""
    width, height = 540, 960
    picture = Image.new("RGB", (width, height), INK)
    draw = ImageDraw.Draw(picture)
    middle = height // 3
    for x in range(20, width - 20, 6):
        live = x < width * stops_at
        amplitude = rng.uniform(20, 120) * abs(math.sin(x / 37)) if live else 2
        draw.line(
            [(x, middle - amplitude), (x, middle + amplitude)],
            fill=ORANGE if live else GREY,
            width=3,
        )
    draw.text((width // 2 - 40, middle + 170), "12:04.37", fill=(255, 255, 255))
    draw.ellipse([width // 2 - 60, height - 220, width // 2 + 60, height - 100], fill=RED)
    return picture


def _sketch() -> Image.Image:
    """A fan's sketch of a mute switch beside the record button."""
    picture = Image.new("RGB", (800, 500), (255, 250, 240))
    draw = ImageDraw.Draw(picture)
    draw.rounded_rectangle([60, 320, 300, 400], radius=40, outline=INK, width=6)
    draw.ellipse([220, 326, 290, 394], fill=ORANGE)
    draw.ellipse([470, 280, 630, 440], fill=RED, outline=INK, width=6)
    draw.text((90, 420), "mute calls", fill=INK)
    return picture
