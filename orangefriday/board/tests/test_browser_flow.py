"""The flow a fan clicks through, in a real browser: sign up, post an idea, another fan finds
it by searching, votes for it without a page reload, and sees it on top of the board."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from orangefriday.accounts.models import User
from orangefriday.board.actions import create_post
from orangefriday.board.models import Kind, Post, Product
from orangefriday.core.testing.browser import log_in
from orangefriday.voting.models import Vote

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

IDEA_TITLE = "Mute the phone while recording"
IDEA_BODY = "Calls and notifications ruin **interviews**. Silence the phone while recording."


def test_a_fan_posts_an_idea_and_another_finds_it_and_votes_without_reload(
    page: Page, live_server, browser_errors: list[str], recorder: Product, bob: User
) -> None:
    base = live_server.url

    # Alice signs up through the real form.
    page.goto(f"{base}/accounts/signup/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Email").fill("alice@example.org")
    page.get_by_label("Password", exact=True).fill("orange-friday-2010")
    page.get_by_label("Password confirmation").fill("orange-friday-2010")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    # She opens the link of the e-mail, which confirms her address and logs her in.
    link = re.search(r"/accounts/verify/\S+/", str(mail.outbox[-1].body))
    assert link is not None
    page.goto(base + link.group(0))
    page.get_by_role("button", name="Confirm and log in").click()
    expect(page.locator(".usernav")).to_contain_text("alice")
    alice = User.objects.get(username="alice")

    # She opens the Sound Recorder board and posts an idea.
    page.goto(f"{base}/p/sound-recorder/")
    expect(page.get_by_role("heading", name="Sound Recorder")).to_be_visible()
    page.get_by_role("link", name="New post").click()
    expect(page).to_have_url(f"{base}/p/sound-recorder/new/")
    expect(page.get_by_label("Idea")).to_be_checked()
    page.get_by_label("Title").fill(IDEA_TITLE)
    page.get_by_label("Body").fill(IDEA_BODY)
    page.get_by_label("Category").select_option(label="Recording")
    page.get_by_role("button", name="Post").click()

    expect(page).to_have_url(re.compile(rf"^{re.escape(base)}/posts/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(IDEA_TITLE)
    expect(page.get_by_test_id("post-body").locator("strong")).to_have_text("interviews")
    idea = Post.objects.get(title=IDEA_TITLE)
    assert (idea.author, idea.product, idea.kind) == (alice, recorder, Kind.IDEA)
    assert idea.category is not None and idea.category.slug == "recording"

    # A newer post with no votes: without Bob's vote it would come first under "top".
    create_post(author=alice, product=recorder, kind=Kind.IDEA, title="Cloud sync for long takes")

    # Alice logs out; Bob logs in on the same browser.
    page.get_by_role("button", name="Log out").click()
    expect(page.locator(".usernav")).to_contain_text("Log in")
    log_in(page, base, bob)

    # Bob finds the idea with the search box in the top bar.
    search_box = page.get_by_role("searchbox", name="Search posts")
    search_box.fill("mute phone")
    search_box.press("Enter")
    expect(page).to_have_url(f"{base}/search/?q=mute+phone")
    results = page.get_by_test_id("post-list").locator(".post-row")
    expect(results).to_have_count(1)
    results.get_by_role("link", name=IDEA_TITLE).click()
    expect(page).to_have_url(f"{base}/posts/{idea.pk}/")

    # He votes; htmx swaps the button in place, the page is not reloaded.
    page.evaluate("window.__marker = 1")
    button = page.get_by_test_id("vote-button")
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(page.get_by_test_id("vote-count")).to_have_text("0")
    with page.expect_response(f"{base}/posts/{idea.pk}/vote/") as vote_response:
        button.click()
    assert vote_response.value.status == 200
    assert vote_response.value.request.headers.get("hx-request") == "true"
    expect(page.get_by_test_id("vote-button")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id("vote-count")).to_have_text("1")
    assert page.evaluate("window.__marker") == 1, "the vote reloaded the page"
    expect(page).to_have_url(f"{base}/posts/{idea.pk}/")

    # The board sorted by top shows the idea first, with its one vote.
    page.goto(f"{base}/p/sound-recorder/?sort=top")
    rows = page.get_by_test_id("post-list").locator(".post-row")
    expect(rows).to_have_count(2)
    expect(rows.first.get_by_role("heading")).to_have_text(IDEA_TITLE)
    expect(rows.first.get_by_test_id("vote-count")).to_have_text("1")
    expect(rows.first.get_by_test_id("vote-button")).to_have_attribute("aria-pressed", "true")

    assert list(Vote.objects.values_list("fan__username", "post_id")) == [("bob", idea.pk)]
    idea.refresh_from_db()
    assert idea.votes_count == 1
    assert browser_errors == []


def test_typing_a_title_shows_similar_posts(
    page: Page, live_server, browser_errors: list[str], recorder: Product, alice: User, bob: User
) -> None:
    existing = create_post(
        author=bob, product=recorder, kind=Kind.IDEA, title="Mute notifications while recording"
    )
    base = live_server.url
    log_in(page, base, alice)
    page.goto(f"{base}/p/sound-recorder/new/")
    page.evaluate("window.__marker = 1")

    similar = page.get_by_test_id("similar-posts")
    with page.expect_request(re.compile(r"/p/sound-recorder/similar/\?title=")) as request:
        page.get_by_label("Title").fill("Silence notifications")
    assert request.value.headers.get("hx-request") == "true"
    expect(similar).to_be_visible()
    expect(similar.get_by_role("link", name=existing.title)).to_have_attribute(
        "href", f"/posts/{existing.pk}/"
    )

    # A title that shares no distinctive word with any post empties the box again.
    page.get_by_label("Title").fill("Bigger waveform")
    expect(similar).to_have_count(0)
    assert page.evaluate("window.__marker") == 1
    assert browser_errors == []
