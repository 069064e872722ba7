"""In a real browser: bob @mentions carol with the autocomplete; carol gets the notification
and the email (multipart, through a real SMTP server); alice, whose post it is, gets a reply
notification that opens at the comment."""

import re

import pytest
from playwright.sync_api import Page, expect

from orangefriday.accounts.models import User
from orangefriday.board.actions import add_comment, create_post
from orangefriday.board.models import Comment, Product
from orangefriday.conftest import make_fan
from orangefriday.core.events import dispatch
from orangefriday.core.testing.browser import log_in
from orangefriday.core.testing.smtp import SmtpServer
from orangefriday.notifications.delivery import send_pending_emails

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()


def test_a_mention_and_a_reply_reach_the_fans_and_link_to_the_comment(
    page: Page,
    live_server,
    browser_errors: list[str],
    smtp_settings: SmtpServer,
    recorder: Product,
    alice: User,
    bob: User,
) -> None:
    base = live_server.url
    carol = make_fan("carol")
    idea = create_post(author=alice, product=recorder, kind="idea", title="Mute while recording")
    add_comment(author=carol, post=idea, body="I record interviews: yes please")
    dispatch()
    send_pending_emails()  # alice's email of carol's comment, not this test's business
    before = len(smtp_settings.messages())

    log_in(page, base, bob)
    page.goto(f"{base}{idea.get_absolute_url()}")
    box = page.get_by_label("Comment")
    box.press_sequentially("Agreed with @ca")
    expect(page.get_by_role("option", name="@carol")).to_be_visible()
    box.press("ArrowDown")
    box.press("Enter")
    expect(box).to_have_value("Agreed with @carol ")
    box.press_sequentially("and calls too")
    page.get_by_role("button", name="Comment", exact=True).click()
    expect(page).to_have_url(re.compile(r"#comment-\d+$"))
    comment = Comment.objects.get(author=bob)
    expect(page).to_have_url(f"{base}{idea.get_absolute_url()}#comment-{comment.pk}")
    assert comment.body == "Agreed with @carol and calls too"

    dispatch()
    assert send_pending_emails() == 2  # carol (the mention) and alice (a reply)
    received = {r.to: r.message for r in smtp_settings.messages()[before:]}
    email = received[("carol@example.org",)]
    # (A long header arrives folded; readers unfold it.)
    assert email["Subject"].strip() == "bob mentioned you on “Mute while recording”"
    plain, html_part = email.get_body(("plain",)), email.get_body(("html",))
    assert plain is not None and html_part is not None  # multipart: both
    assert "> Agreed with @carol and calls too" in plain.get_content()
    html = html_part.get_content()
    assert "<blockquote>" in html and f"#comment-{comment.pk}" in html
    log_out(page)

    # carol: the bell rings; the row names the product, the post and what bob said.
    log_in(page, base, carol)
    expect(page.get_by_test_id("unread-count")).to_have_text("1")
    page.get_by_test_id("bell").click()
    row = page.get_by_test_id("notification")
    expect(row.get_by_test_id("notification-product")).to_have_text("Sound Recorder")
    expect(row.get_by_test_id("notification-post")).to_have_text("Mute while recording")
    expect(row.get_by_test_id("notification-text")).to_have_text("Agreed with @carol and calls too")
    row.get_by_test_id("notification-link").click()
    expect(page).to_have_url(f"{base}{idea.get_absolute_url()}#comment-{comment.pk}")
    log_out(page)

    # alice: a reply on her post, which opens at the comment.
    log_in(page, base, alice)
    page.get_by_test_id("bell").click()
    page.get_by_role("link", name="bob replied on your post “Mute while recording”").click()
    expect(page).to_have_url(f"{base}{idea.get_absolute_url()}#comment-{comment.pk}")
    expect(page.locator(f"#comment-{comment.pk}")).to_contain_text("and calls too")
    expect(page.locator(f"#comment-{comment.pk}")).to_be_in_viewport()

    assert browser_errors == []
