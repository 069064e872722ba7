"""Build feedback in a real browser: after the Friday build is published, two fans file
their four-grid reports and rate its stability (one of them on a phone-sized screen); the
results page shows the counts and the charts; once the window has closed on Tuesday 24:00
the worker gives the Popcorn Award and it shows on the team's page.

The clock is moved with time_machine to the week after today (as in
releases/tests/test_browser_week.py), so that session cookies stay valid in the browser's
own, real, time.
"""

import re
from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, ViewportSize, expect

from orangefriday.accounts.models import User
from orangefriday.board.actions import create_post
from orangefriday.board.models import Product
from orangefriday.core.testing.browser import log_in
from orangefriday.feedback.tasks import give_popcorn_awards
from orangefriday.planning.actions import claim_post, ship_claimed_post
from orangefriday.planning.models import Team
from orangefriday.releases.cuts import cut_and_publish_due_builds
from orangefriday.releases.tests.conftest import SHANGHAI
from orangefriday.releases.tests.test_browser_week import log_out

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

IDEAS = ("Pause recording during calls", "Cloud backup of recordings", "Trim silence")
PHONE: ViewportSize = {"width": 390, "height": 844}


def next_friday_cut() -> datetime:
    """17:00 in Shanghai on the first Friday at least a week after today (the real today)."""
    today = timezone.localtime(timezone.now(), SHANGHAI).date()
    friday = today + timedelta(days=(4 - today.weekday()) % 7 + 7)
    return datetime.combine(friday, time(17), SHANGHAI)


def file_report(page: Page, *, mood: str, loved: str, least: str, wanted: str) -> None:
    form = page.get_by_test_id("report-form")
    form.get_by_label(mood).check()
    form.get_by_label("Most loved change").select_option(label=loved)
    form.get_by_label("Least effective change").select_option(label=least)
    form.get_by_label("Most wanted feature").select_option(label=wanted)
    form.get_by_role("button", name="File my report").click()
    expect(page.locator(".messages")).to_contain_text("four-grid report on")


def rate(page: Page, stability: int) -> None:
    form = page.get_by_test_id("rating-form")
    form.get_by_label(str(stability), exact=True).check()
    form.get_by_role("button", name="Rate it").click()
    expect(page.locator(".messages")).to_contain_text("/10")


def test_two_fans_report_the_results_show_it_and_the_award_reaches_the_team(
    page: Page,
    live_server,
    browser_errors: list[str],
    recorder: Product,
    maya: User,
    rockets: Team,
    alice: User,
    bob: User,
) -> None:
    base = live_server.url
    friday = next_friday_cut()
    with time_machine.travel((friday - timedelta(days=4)).timestamp(), tick=True) as clock:
        recorder.created_at = friday - timedelta(days=60)
        recorder.save(update_fields=["created_at"])
        for title in IDEAS:
            post = create_post(author=alice, product=recorder, kind="idea", title=title)
            claim_post(by=maya, team=rockets, post=post)
            ship_claimed_post(by=maya, post=post)
            clock.shift(timedelta(hours=3))
        wish = create_post(author=bob, product=recorder, kind="idea", title="Transcribe it")
        clock.move_to(friday.timestamp())
        (build,) = cut_and_publish_due_builds(now=timezone.now())

        # Alice, on her desk, files her report from the build page.
        log_in(page, base, alice)
        page.goto(f"{base}{build.get_absolute_url()}")
        page.get_by_role("link", name="Four-grid reports, stability and results").click()
        expect(page.get_by_test_id("window")).to_contain_text("reports are open until")
        file_report(
            page, mood="Love it", loved=IDEAS[1], least=IDEAS[0], wanted=f"{wish.title} (0 votes)"
        )
        rate(page, 8)
        log_out(page)

        # Bob, on his phone.
        page.set_viewport_size(PHONE)
        log_in(page, base, bob)
        page.goto(f"{base}/builds/{build.pk}/feedback/")
        file_report(
            page, mood="Happy", loved=IDEAS[1], least=IDEAS[2], wanted=f"{wish.title} (0 votes)"
        )
        rate(page, 9)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        log_out(page)

        # Anyone reads the results.
        page.goto(f"{base}/builds/{build.pk}/feedback/")
        expect(page.get_by_test_id("reports-count")).to_have_text("2")
        expect(page.get_by_test_id("ratings-count")).to_have_text("2")
        expect(page.get_by_test_id("stability-average")).to_have_text("8.5")
        for chart in ("moods", "stability", "loved", "least", "wanted", "trend"):
            expect(page.get_by_test_id(f"chart-{chart}")).to_be_visible()
        loved = page.get_by_test_id("chart-loved").locator(".bar-row").first
        expect(loved).to_contain_text(IDEAS[1])
        expect(loved).to_contain_text("2")
        expect(page.get_by_test_id("chart-stability").locator("rect.bar")).to_have_count(10)

        # Wednesday 00:00 in Shanghai: the window has closed; the worker gives the award.
        clock.move_to((friday + timedelta(days=4, hours=7, minutes=1)).timestamp())
        assert give_popcorn_awards.call() == [f"{build.version}: {IDEAS[1]}"]
        page.goto(f"{base}/builds/{build.pk}/feedback/")
        expect(page.get_by_test_id("window")).to_contain_text("closed")
        expect(page.get_by_test_id("popcorn-award")).to_contain_text("Rockets")
        page.get_by_test_id("award-team").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Rockets")
        expect(page.get_by_test_id("team-awards-count")).to_have_text("1")
        award_link = page.get_by_test_id("team-awards").get_by_role("link")
        expect(award_link).to_have_accessible_name(re.compile(r"^Popcorn Award of \d"))
        expect(award_link.locator("svg.icon")).to_be_visible()  # an icon, not an emoji
    assert browser_errors == []
