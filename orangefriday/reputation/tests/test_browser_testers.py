"""In a real browser: a fan passes the entry quiz and becomes a tester; the clock moves past
Sunday 24:00 with no bug report filed; the scheduler's duty check removes the fan, who sees
why on "my standing" and the date the lock-out ends; the quiz refuses them until 30 days
later, and takes them after.

The server's clock (time_machine; the browser keeps its own) starts on a Monday in the
weeks after today, so that the session cookies stay valid in the browser's real time.
"""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from orangefriday.accounts.models import User
from orangefriday.board.models import Product
from orangefriday.core.testing.browser import log_in
from orangefriday.releases.tests.conftest import SHANGHAI
from orangefriday.releases.tests.test_browser_week import log_out
from orangefriday.reputation.tasks import check_tester_duties
from orangefriday.reputation.testers import write_programme

from .conftest import QUIZ

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def next_monday() -> datetime:
    """09:00 in Shanghai on the first Monday at least a week after today (the real today)."""
    today = timezone.localtime(timezone.now(), SHANGHAI).date()
    monday = today + timedelta(days=(7 - today.weekday()) % 7 + 7)
    return datetime.combine(monday, time(9), SHANGHAI)


def pass_quiz(page: Page, base: str) -> None:
    page.goto(f"{base}/p/sound-recorder/testers/")
    page.get_by_role("link", name="Take the entry quiz").click()
    quiz = page.get_by_test_id("quiz")
    quiz.get_by_label("On the bug report").check()
    quiz.get_by_label("Sunday 24:00").check()
    quiz.get_by_role("button", name="Send my answers").click()


def test_a_tester_who_files_no_bug_report_is_removed_told_why_and_locked_out_for_30_days(
    page: Page, live_server, browser_errors: list[str], alice: User, maya: User, recorder: Product
) -> None:
    base = live_server.url
    monday = next_monday()
    with time_machine.travel(monday.timestamp(), tick=True) as clock:
        write_programme(by=maya, product=recorder, places=10, pass_mark=100, questions=QUIZ)
        log_in(page, base, alice)
        pass_quiz(page, base)
        expect(page.locator(".messages")).to_contain_text("passed: welcome, Sound Recorder tester")
        standing = page.get_by_test_id("standing")
        expect(standing.get_by_test_id("status")).to_contain_text("You are a tester")
        expect(standing.get_by_test_id("missing")).to_contain_text("a bug report with a log file")

        # Sunday 24:00 passes with nothing filed; the scheduler's job runs the check.
        clock.move_to((monday + timedelta(days=6, hours=15, minutes=1)).timestamp())
        assert check_tester_duties.call() == 1
        page.reload()
        expect(standing.get_by_test_id("status")).to_contain_text("You were removed")
        expect(standing.get_by_test_id("reason")).to_contain_text("no bug report with a log file")
        lock_ends = (monday + timedelta(days=6, hours=15) + timedelta(days=30)).date()
        expect(standing.get_by_test_id("lockout")).to_contain_text(
            f"You may apply again from {lock_ends:%Y-%m-%d} 00:00 (Asia/Shanghai)"
        )

        # A day before the lock-out ends the quiz is refused with the same date (the session
        # may run out meanwhile: log in afresh).
        log_out(page)
        clock.move_to((monday + timedelta(days=6 + 29, hours=15, minutes=1)).timestamp())
        log_in(page, base, alice)
        page.goto(f"{base}/p/sound-recorder/testers/quiz/")
        expect(page.get_by_role("alert")).to_contain_text(f"apply again from {lock_ends:%Y-%m-%d}")
        expect(page.get_by_test_id("quiz")).to_have_count(0)

        # From that day on, the fan may apply again, and passes.
        log_out(page)
        clock.move_to((monday + timedelta(days=6 + 30, hours=15, minutes=1)).timestamp())
        log_in(page, base, alice)
        pass_quiz(page, base)
        expect(page.locator(".messages")).to_contain_text("welcome, Sound Recorder tester")
        expect(page.get_by_test_id("standing").get_by_test_id("status")).to_contain_text(
            "You are a tester"
        )
    assert browser_errors == []
