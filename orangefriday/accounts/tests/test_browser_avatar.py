"""In a real browser: a fan uploads an avatar on the settings page, sets a display name,
and sees both beside their post; the picture loads as an image."""

import io

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from orangefriday.accounts.models import User
from orangefriday.board.actions import create_post
from orangefriday.core.testing.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_a_fan_uploads_an_avatar_and_sees_it_beside_their_post(
    page: Page, live_server, browser_errors: list[str], alice: User, recorder, tmp_path
) -> None:
    post = create_post(author=alice, product=recorder, kind="idea", title="Mute while recording")
    photo = tmp_path / "me.png"
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), "teal").save(buffer, "PNG")
    photo.write_bytes(buffer.getvalue())
    base = live_server.url
    log_in(page, base, alice)

    page.goto(f"{base}/accounts/settings/")
    page.get_by_label("Display name").fill("爱丽丝")
    page.get_by_label("Avatar", exact=True).set_input_files(str(photo))
    page.locator("#profile").get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()

    page.goto(f"{base}/posts/{post.pk}/")
    author = page.locator(".title-block .meta a.fan")
    expect(author).to_contain_text("爱丽丝")
    avatar = author.locator("img.avatar")
    expect(avatar).to_be_visible()
    # The picture really loaded (a broken image has no natural width), shrunk to 256 px.
    assert avatar.evaluate("img => img.complete && img.naturalWidth") == 256
    assert browser_errors == []
