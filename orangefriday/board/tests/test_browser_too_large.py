"""A form with more text than the server takes: the fan keeps what they typed."""

import pytest
from playwright.sync_api import Page, expect

from orangefriday.accounts.models import User
from orangefriday.board.models import Post, Product
from orangefriday.core.testing.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

TITLE = "Calls cut my interviews"


def fill_too_much(page: Page, base: str, fan: User, limit: int) -> str:
    """As `fan`, a new post whose body is over `limit` bytes; returns the body."""
    log_in(page, base, fan)
    page.goto(f"{base}/p/sound-recorder/new/")
    page.get_by_label("Title").fill(TITLE)
    # A pasted log far over the limit (set as a script would: a maxlength would cut typing).
    huge = "trace line\n" * (limit // 10)
    page.get_by_label("Body").evaluate("(area, text) => { area.value = text; }", huge)
    return huge


def test_a_form_over_the_limit_is_not_sent_and_the_fan_is_told_at_the_field(
    page: Page, live_server, browser_errors: list[str], recorder: Product, alice: User, settings
) -> None:
    base = live_server.url
    huge = fill_too_much(page, base, alice, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    sent = []
    page.on("request", lambda request: sent.append(request.method))
    page.get_by_role("button", name="Post").click()

    alert = page.locator("[data-form-too-large]")
    expect(alert).to_contain_text("a form may send at most 1.0 MB of text")
    expect(page.get_by_label("Body")).to_be_focused()
    expect(page.get_by_label("Title")).to_have_value(TITLE)
    assert page.get_by_label("Body").evaluate("area => area.value.length") == len(huge)
    assert "POST" not in sent and not Post.objects.exists()
    assert browser_errors == []


def test_going_back_from_the_servers_refusal_finds_the_text_the_browser_kept(
    page: Page, live_server, browser_errors: list[str], recorder: Product, alice: User, settings
) -> None:
    base = live_server.url
    huge = fill_too_much(page, base, alice, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    page.evaluate("delete document.body.dataset.formLimit")  # as a browser without scripts
    page.get_by_role("button", name="Post").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("That was too much to send")
    expect(page.get_by_test_id("error-page")).to_contain_text("Nothing was saved")
    assert not Post.objects.exists()
    page.get_by_role("link", name="Back to your form").click()
    expect(page).to_have_url(f"{base}/p/sound-recorder/new/")
    # The body comes back as it was (the title does not: it asks the browser not to keep it,
    # for its list of similar posts).
    kept = page.get_by_label("Body").evaluate("area => area.value.replace(/\\r\\n/g, '\\n')")
    assert kept == huge
    assert [e for e in browser_errors if "status of 413" not in e] == []  # the refusal
