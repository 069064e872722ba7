"""The demo fans' display names and avatars: some fans go by a name of their own (Chinese
ones among them), some have a picture; the others show their username and a drawn initial.

The pictures are drawn here with Pillow (no image file is kept in the repository) and taken
in through the same action as a fan's upload (accounts.actions.update_profile).
"""

import io
import random
from collections.abc import Collection

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from orangefriday.accounts.actions import update_profile
from orangefriday.accounts.models import User

DISPLAY_NAMES = {
    "maya": "Maya Lin",
    "hannah_reports": "Hannah Weiss",
    "li_jizhe": "李娜 · 记者",
    "xiaoyu_tech": "小雨",
    "chen_hao": "陈浩",
    "markus.audio": "Markus, field recordist",
    "ivy_zhang": "Ivy 张",
    "wang_fang88": "王芳",
    "olivia_park": "Olivia P.",
}
# Who has a picture: fans with and without a display name.
WITH_AVATARS = ["maya", "hannah_reports", "li_jizhe", "chen_hao", "raj_mifan", "tom_kowalski"]

COLOURS = ["#ff6900", "#1d5fa8", "#1f6f43", "#6b3fa0", "#a3245a", "#0f6e75", "#f2c14e"]


def drawn_avatar(rng: random.Random, name: str) -> SimpleUploadedFile:
    """A small abstract picture: a background and a few overlapping circles."""
    background, *others = rng.sample(COLOURS, 4)
    image = Image.new("RGB", (128, 128), background)
    draw = ImageDraw.Draw(image)
    for colour in others:
        x, y, r = rng.randint(0, 128), rng.randint(0, 128), rng.randint(20, 60)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile(f"{name}.png", buffer.getvalue(), content_type="image/png")


def load_profiles(*, rng: random.Random, keep: Collection[str] = ()) -> dict[str, int]:
    """Give the demo's fans their names and pictures; accounts in `keep` (which existed
    before the demo was loaded) stay as they were."""
    wanted = set(DISPLAY_NAMES) | set(WITH_AVATARS)
    fans = {u.username: u for u in User.objects.filter(username__in=wanted - set(keep))}
    for username, fan in sorted(fans.items()):
        update_profile(
            fan=fan,
            display_name=DISPLAY_NAMES.get(username),
            avatar=drawn_avatar(rng, username) if username in WITH_AVATARS else None,
        )
    return {
        "display names": sum(1 for name in DISPLAY_NAMES if name in fans),
        "avatars": sum(1 for name in WITH_AVATARS if name in fans),
    }
