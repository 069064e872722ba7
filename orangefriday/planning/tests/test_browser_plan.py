"""An engineer's week in a real browser: form a team, claim the top unclaimed post from the
planning board, and mark it shipped from the post page; no CSP violation on the way."""

import re

import pytest
from playwright.sync_api import Page, expect

from orangefriday.accounts.models import User
from orangefriday.board.models import Post
from orangefriday.core.testing.browser import log_in
from orangefriday.planning.models import Claim

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_an_engineer_forms_a_team_claims_the_top_post_and_ships_it(
    page: Page, live_server, browser_errors: list[str], maya: User, lee: User, idea
) -> None:
    base = live_server.url
    top, second = idea("Mute while recording", votes=30), idea("Cloud backup", votes=12)
    log_in(page, base, maya)

    page.goto(f"{base}/p/sound-recorder/teams/")
    page.get_by_label("Name").fill("Rockets")
    page.get_by_label("maya").check()
    page.get_by_label("lee").check()
    page.get_by_role("button", name="Form the team").click()
    expect(page).to_have_url(f"{base}/p/sound-recorder/teams/rockets/")

    page.get_by_role("link", name="This week's plan").click()
    rows = page.get_by_test_id("plan-row")
    expect(rows).to_have_count(2)
    expect(rows.first).to_have_class(re.compile(r"\bunclaimed\b"))
    expect(page.get_by_test_id("unclaimed-count")).to_contain_text("2 of the top 2")
    rows.first.get_by_role("button", name="Claim for Rockets").click()

    expect(page.get_by_test_id("unclaimed-count")).to_contain_text("1 of the top 2")
    expect(rows.first).to_have_attribute("data-claimed", "yes")
    expect(page.get_by_test_id("team-rockets").get_by_test_id("load")).to_have_text("1 / 3")

    page.get_by_test_id("team-rockets").get_by_role("link", name=top.title).click()
    expect(page.get_by_test_id("status")).to_have_text("In progress")
    expect(page.get_by_test_id("claim-team")).to_have_text("Rockets")
    expect(page.get_by_test_id("claim-engineer")).to_have_text("maya")
    page.get_by_role("button", name="Mark shipped").click()
    expect(page.get_by_test_id("status")).to_have_text("Shipped")

    assert Post.objects.get(pk=top.pk).shipped_at is not None
    assert Claim.objects.get().post_id == top.pk
    assert Post.objects.get(pk=second.pk).status == "open"
    assert browser_errors == []
