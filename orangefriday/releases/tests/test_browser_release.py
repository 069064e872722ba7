"""An engineer's Friday in a real browser: reword a line of the notes, publish the build,
find the pinned announcement and the changelog, then promote and roll out a stable build.
The strict CSP holds throughout (no console errors)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from orangefriday.accounts.models import User
from orangefriday.board.models import Post, Product
from orangefriday.core.testing.browser import log_in
from orangefriday.releases.cuts import cut_developer_build
from orangefriday.releases.models import Build

from .conftest import ship

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_an_engineer_edits_publishes_and_rolls_out(
    page: Page, live_server, browser_errors: list[str], recorder: Product, maya: User, alice, bob
) -> None:
    recorder.created_at = timezone.now() - timedelta(days=30)
    recorder.save()
    # Shipped a week ago, so last Friday's build (whatever today is) carries it.
    post = ship(engineer=maya, author=alice, product=recorder, title="Mute while recording")
    Post.objects.filter(pk=post.pk).update(shipped_at=timezone.now() - timedelta(days=8))
    build = cut_developer_build(product=recorder, at=timezone.now()).build
    assert build is not None
    change = build.changes.get()
    base = live_server.url

    log_in(page, base, maya)
    page.goto(f"{base}/p/sound-recorder/builds/")
    page.get_by_role("link", name=build.version, exact=True).click()
    expect(page.get_by_test_id("notes")).to_contain_text("proposed by @alice")

    line = page.locator(f"#edit-change-{change.pk}")
    line.get_by_label("Line").fill("Mute the phone while recording")
    line.get_by_role("button", name="Save line").click()
    expect(page.get_by_test_id("notes")).to_contain_text("Mute the phone while recording")

    page.get_by_role("button", name=f"Publish {build.version}").click()
    expect(page.locator(".messages")).to_contain_text(f"Published {build.version}.")
    page.get_by_role("link", name="Release announcement and discussion").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        f"Week 1 release announcement and changelog ({build.version})"
    )
    expect(page.get_by_test_id("post-body")).to_contain_text("Mute the phone while recording")

    page.goto(f"{base}/p/sound-recorder/changelog/")
    expect(page.locator(".changelog-entry")).to_have_count(1)
    feed = page.locator('link[rel="alternate"][type="application/atom+xml"]')
    expect(feed).to_have_attribute("href", "/p/sound-recorder/changelog.atom")

    page.goto(f"{base}{build.get_absolute_url()}")
    page.get_by_role("button", name="Promote to stable").click()
    expect(page.locator(".messages")).to_contain_text("stable beta")
    page.get_by_label("Roll out to (%)").fill("10")
    page.get_by_role("button", name="Raise rollout").click()
    expect(page.get_by_test_id("rollout")).to_have_text("10%")
    page.get_by_role("button", name="Halt rollout").click()
    expect(page.get_by_role("button", name="Resume rollout")).to_be_visible()

    stable = Build.objects.get(channel="stable")
    assert (stable.rollout_percent, stable.rollout_halted) == (10, True)
    assert browser_errors == []
