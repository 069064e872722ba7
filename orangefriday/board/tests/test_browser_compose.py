"""The new-post form in a real browser: a fan picks "bug" and the bug fields appear,
previews the Markdown, attaches an image, publishes, and is told what happens next; a
hostile body previewed runs nothing."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import FilePayload, Page, expect

from orangefriday.accounts.models import User
from orangefriday.board.models import Post, Product
from orangefriday.board.tests.test_browser_xss import (
    PAYLOADS,
    Watch,
    assert_nothing_ran,
    hostile_markup_on_page,
    problems_in_fan_text,
)
from orangefriday.core.testing.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

TITLE = "The waveform freezes after a call"
BODY = "After a call the waveform **stops**:\n\n1. record\n2. take a call"


def screenshot() -> FilePayload:
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 2400), (255, 105, 0)).save(buffer, "PNG")
    return {"name": "screen.png", "mimeType": "image/png", "buffer": buffer.getvalue()}


def test_a_fan_reports_a_bug_with_a_preview_and_an_image(
    page: Page, live_server, browser_errors: list[str], recorder: Product, alice: User
) -> None:
    base = live_server.url
    log_in(page, base, alice)
    page.goto(f"{base}/p/sound-recorder/new/")
    bug_fields = page.get_by_test_id("bug-fields")

    # An idea has no bug fields; picking "Bug report" shows them at once, and back.
    expect(page.get_by_label("Idea")).to_be_checked()
    expect(bug_fields).to_be_hidden()
    page.get_by_label("Bug report").check()
    expect(bug_fields).to_be_visible()
    expect(page.get_by_label("Device")).to_be_visible()
    page.get_by_label("Discussion").check()
    expect(bug_fields).to_be_hidden()
    page.get_by_label("Bug report").check()

    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Body").fill(BODY)
    page.get_by_label("Device").fill("Xiaomi 14")

    # The preview shows the body as the post will, without leaving the page or saving.
    page.evaluate("window.__marker = 1")
    page.get_by_role("button", name="Preview").click()
    preview = page.get_by_test_id("preview")
    expect(preview.locator("strong")).to_have_text("stops")
    expect(preview.locator("ol li")).to_have_count(2)
    assert page.evaluate("window.__marker") == 1 and not Post.objects.exists()
    previewed = preview.locator(".post-body").inner_html()

    page.get_by_label("Image 1", exact=True).set_input_files(files=screenshot())
    page.get_by_label("What image 1 shows").fill("The frozen waveform")
    page.get_by_role("button", name="Post").click()

    expect(page).to_have_url(re.compile(rf"^{re.escape(base)}/posts/\d+/$"))
    expect(page.locator(".messages")).to_contain_text("Your post is published")
    expect(page.locator(".messages")).to_contain_text("Monday")
    image = page.get_by_role("img", name="The frozen waveform")
    expect(image).to_be_visible()
    # The image loaded (an image, shrunk to fit in 1600 px).
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [800, 1600]

    post = Post.objects.get()
    assert (post.kind, post.device, post.title) == ("bug", "Xiaomi 14", TITLE)
    # The post page's body is the preview's, to the character.
    assert page.get_by_test_id("post-body").inner_html() == previewed
    assert browser_errors == []


def test_a_hostile_body_previewed_runs_nothing(
    page: Page, live_server, browser_errors: list[str], recorder: Product, bob: User
) -> None:
    base = live_server.url
    watch = Watch(page, base)
    log_in(page, base, bob)
    page.goto(f"{base}/p/sound-recorder/new/")
    page.get_by_label("Body").fill("\n\n".join(PAYLOADS))
    page.get_by_role("button", name="Preview").click()
    preview = page.get_by_test_id("preview")
    expect(preview.locator(".post-body")).to_be_visible()
    page.wait_for_timeout(150)  # let any late onload/onerror fire
    assert problems_in_fan_text(page) == []
    assert hostile_markup_on_page(page) == []
    assert_nothing_ran(page, watch, browser_errors)
    assert not Post.objects.exists()
