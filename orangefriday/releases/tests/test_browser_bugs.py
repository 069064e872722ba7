"""Bugs per build in a real browser: a fan picks the build on the new-bug form and sees its
known issues appear without a reload, attaches a log and files the bug; the engineer
downloads the log."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import FilePayload, Page, expect

from orangefriday.accounts.models import User
from orangefriday.board.actions import create_post
from orangefriday.board.models import Post, Product
from orangefriday.core.testing.browser import log_in
from orangefriday.releases.models import Build, Channel, KnownIssue

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

LOG = b"11-28 10:02:11.123 E/Recorder: AudioRecord start failed: -38\n"
KNOWN = "Recording stops when a call comes in"


def published(product: Product, channel: str, version: str) -> Build:
    return Build.objects.create(
        product=product,
        channel=channel,
        version=version,
        version_date=timezone.localdate(),
        published_at=timezone.now(),
    )


def test_a_fan_sees_known_issues_files_a_bug_with_a_log_and_the_engineer_downloads_it(
    page: Page,
    live_server,
    browser_errors: list[str],
    recorder: Product,
    maya: User,
    alice: User,
    bob: User,
) -> None:
    developer = published(recorder, Channel.DEVELOPER, "26.11.20")
    stable = published(recorder, Channel.STABLE, "26.11.27")
    known = create_post(author=bob, product=recorder, kind="bug", title=KNOWN)
    KnownIssue.objects.create(build=stable, post=known, marked_by=maya)
    base = live_server.url

    log_in(page, base, alice)
    page.goto(f"{base}/p/sound-recorder/new/")
    page.evaluate("window.__marker = 1")
    page.get_by_label("Bug report").check()
    page.get_by_label("Title").fill("The recorder crashes at 2 hours")
    box = page.locator("#known-issues")

    page.get_by_label("Found in build").select_option(label="26.11.27 (stable)")
    expect(box).to_contain_text("Known issues of 26.11.27")
    expect(box.get_by_role("link", name=KNOWN)).to_be_visible()
    page.get_by_label("Found in build").select_option(label="26.11.20 (developer)")
    expect(box).to_contain_text("No known issues of 26.11.20 yet")
    expect(box.get_by_role("link", name=KNOWN)).to_have_count(0)
    assert page.evaluate("window.__marker") == 1  # the same page: no reload

    page.get_by_label("Found in build").select_option(label="26.11.27 (stable)")
    expect(box.get_by_role("link", name=KNOWN)).to_be_visible()
    page.get_by_label("Device").fill("Xiaomi 14")
    log: FilePayload = {"name": "recorder.log", "mimeType": "text/plain", "buffer": LOG}
    page.get_by_label("Log").set_input_files(files=log)
    page.get_by_role("button", name="Post").click()

    expect(page).to_have_url(re.compile(rf"^{re.escape(base)}/posts/\d+/$"))
    facts = page.get_by_test_id("bug-facts")
    expect(facts).to_contain_text("Found in 26.11.27 (stable)")
    expect(facts).to_contain_text("Xiaomi 14")
    expect(facts.get_by_test_id("log-link")).to_be_visible()
    bug = Post.objects.get(title="The recorder crashes at 2 hours")
    assert (bug.author, bug.found_in_build, bug.log_name) == (alice, stable, "recorder.log")
    assert developer.bug_reports.count() == 0

    page.get_by_role("button", name="Log out").click()
    log_in(page, base, maya)
    page.goto(f"{base}{bug.get_absolute_url()}")
    with page.expect_download() as download_info:
        page.get_by_test_id("log-link").click()
    download = download_info.value
    assert download.suggested_filename == "recorder.log"
    with open(download.path(), "rb") as downloaded:
        assert downloaded.read() == LOG

    assert browser_errors == []
