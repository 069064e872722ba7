"""Must show 3, in a real browser: a fan flags a spam post; a moderator finds it in the
queue and hides it with a reason; it is gone from the board and from search; its author
sees why."""

import pytest
from playwright.sync_api import Page, expect

from orangefriday.accounts.models import User
from orangefriday.board.actions import create_post
from orangefriday.board.models import Post, Product
from orangefriday.conftest import make_fan
from orangefriday.core.testing.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

SPAM = "Cheap recorder deals every day"


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.locator(".usernav")).to_contain_text("Log in")


def test_a_flagged_spam_post_is_hidden_from_the_queue_and_its_author_sees_why(
    page: Page, live_server, browser_errors: list[str], recorder: Product, bob: User, mo: User
) -> None:
    base = live_server.url
    sam = make_fan("sam")
    spam = create_post(author=sam, product=recorder, kind="idea", title=SPAM, body="Deals!")
    create_post(author=bob, product=recorder, kind="idea", title="Mute while recording")

    # Bob flags the post as spam.
    log_in(page, base, bob)
    page.goto(f"{base}{spam.get_absolute_url()}")
    page.get_by_test_id("flag-post").locator("summary").click()
    page.get_by_label("spam", exact=True).check()
    page.get_by_role("button", name="Flag for moderators").click()
    expect(page.locator(".messages")).to_contain_text("moderators will look at it")
    expect(page.get_by_test_id("flagged")).to_be_visible()
    log_out(page)

    # The moderator finds it in the queue and hides it with a reason.
    log_in(page, base, mo)
    page.goto(f"{base}/moderation/")
    review = page.get_by_test_id("review").filter(has_text=SPAM)
    expect(review).to_contain_text("bob")
    expect(review).to_contain_text("spam")
    review.get_by_label("Decision").select_option("hide")
    review.get_by_label("Reason").fill("spam: a shop's advertising")
    review.get_by_role("button", name="Decide").click()
    expect(page.locator(".messages")).to_contain_text("Decided")
    expect(page.get_by_test_id("queue-empty")).to_be_visible()
    log_out(page)

    # It is gone from the board and from search.
    page.goto(f"{base}/p/sound-recorder/")
    expect(page.get_by_text("Mute while recording")).to_be_visible()
    expect(page.get_by_text(SPAM)).to_have_count(0)
    page.goto(f"{base}/search/?q=recorder+deals")
    expect(page.get_by_text(SPAM)).to_have_count(0)
    # Anyone who had its link reads the short note.
    page.goto(f"{base}{spam.get_absolute_url()}")
    expect(page.get_by_test_id("tombstone")).to_have_text(
        "Hidden by moderators: spam: a shop's advertising"
    )

    # Its author sees why.
    log_in(page, base, sam)
    page.goto(f"{base}{spam.get_absolute_url()}")
    expect(page.get_by_test_id("visibility-banner")).to_contain_text(
        "Hidden by moderators: spam: a shop's advertising"
    )
    assert Post.objects.get(pk=spam.pk).visibility == "hidden"
    # The tombstone answers 410 Gone, which Chromium reports on its console; nothing else.
    assert [e for e in browser_errors if "status of 410 (Gone)" not in e] == []
