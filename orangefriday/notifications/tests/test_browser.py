"""In a real browser: follow a post without a reload, see the bell ring, read, unsubscribe."""

import pytest
from playwright.sync_api import Page, expect

from orangefriday.accounts.models import User
from orangefriday.board.actions import change_status, create_post
from orangefriday.board.models import Product
from orangefriday.core.events import dispatch
from orangefriday.core.testing.browser import log_in
from orangefriday.notifications.models import Notification, OutboxEmail, Subscription

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_follow_hear_about_it_and_read_it(
    page: Page,
    live_server,
    browser_errors: list[str],
    recorder: Product,
    alice: User,
    bob: User,
    maya: User,
) -> None:
    base = live_server.url
    idea = create_post(author=alice, product=recorder, kind="idea", title="Mute while recording")
    log_in(page, base, bob)
    page.goto(f"{base}{idea.get_absolute_url()}")

    # Following swaps the button in place (htmx, with its CSRF header); no reload.
    page.evaluate("window.notReloaded = true")
    page.get_by_test_id("follow-button").click()
    expect(page.get_by_test_id("follow-button")).to_have_text("Unfollow")
    assert page.evaluate("window.notReloaded") is True
    assert Subscription.objects.get(fan=bob, post=idea).active

    change_status(by=maya, post=idea, status="planned", note="Next sprint")
    dispatch()

    page.reload()
    expect(page.get_by_test_id("unread-count")).to_have_text("1")
    page.get_by_test_id("bell").click()
    expect(page).to_have_url(f"{base}/notifications/")
    page.get_by_role("link", name="“Mute while recording” is now planned").click()
    expect(page).to_have_url(f"{base}{idea.get_absolute_url()}")
    expect(page.get_by_test_id("unread-count")).to_have_count(0)
    assert Notification.objects.get(fan=bob).read_at is not None

    # Unfollowing works the same way, and the next change passes bob by.
    page.get_by_test_id("follow-button").click()
    expect(page.get_by_test_id("follow-button")).to_have_text("Follow")
    change_status(by=maya, post=idea, status="in_progress")
    dispatch()
    assert Notification.objects.filter(fan=bob).count() == 1

    # The link in bob's email works in a browser with nobody logged in.
    link = OutboxEmail.objects.get(fan=bob).unsubscribe_url.split("://", 1)[1].split("/", 1)[1]
    page.get_by_role("button", name="Log out").click()
    page.goto(f"{base}/{link}")
    page.get_by_test_id("confirm-unsubscribe").click()
    expect(page.get_by_test_id("unsubscribed")).to_be_visible()

    assert browser_errors == []
