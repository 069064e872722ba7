"""In a real browser: a fan mistypes the password until locked, is told when to try again,
cannot log in with the right password until then, and can afterwards."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from orangefriday.accounts.models import User
from orangefriday.core.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def submit(page: Page, base: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_a_fan_is_locked_out_told_when_and_let_in_after(
    page: Page, live_server, browser_errors: list[str], alice: User
) -> None:
    base = live_server.url
    # The server's clock (the browser keeps its own) runs on, and jumps past the lock below.
    with time_machine.travel(timezone.now(), tick=True) as clock:
        for _ in range(4):
            submit(page, base, "orange-demo?")
            expect(page.get_by_role("alert")).to_contain_text("correct username and password")

        submit(page, base, "orange-demo!")
        alert = page.get_by_role("alert")
        expect(alert).to_contain_text("Too many wrong passwords for this account from your address")
        expect(alert).to_contain_text("try again in 15 minutes")
        expect(page.get_by_label("Username")).to_have_value("alice")

        # The right password, while the lock lasts, is refused with the same message.
        clock.shift(timedelta(minutes=14))
        submit(page, base, PASSWORD)
        expect(page.get_by_role("alert")).to_contain_text("try again in 1 minute")
        expect(page.locator(".usernav")).not_to_contain_text("alice")

        clock.shift(timedelta(minutes=1, seconds=5))
        submit(page, base, PASSWORD)
        expect(page.locator(".usernav")).to_contain_text("alice")
    assert browser_errors == []
