"""In a real browser: an engineer sets up the tester programme and writes a two-question
quiz on its page; a fan then takes that quiz and passes."""

import pytest
from playwright.sync_api import Page, expect

from orangefriday.accounts.models import User
from orangefriday.board.models import Product
from orangefriday.core.testing.browser import accessibility_problems, log_in
from orangefriday.releases.tests.test_browser_week import log_out

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def write_question(page: Page, n: int, text: str, right: str, wrong: str) -> None:
    question = page.get_by_test_id(f"question-{n}")
    question.get_by_label("Question", exact=True).fill(text)
    question.get_by_label("Choice 1", exact=True).fill(wrong)
    question.get_by_label("Choice 2", exact=True).fill(right)
    question.get_by_label("Choice 2 is right").check()


def test_an_engineer_writes_a_two_question_quiz_and_a_fan_passes_it(
    page: Page, live_server, browser_errors: list[str], alice: User, maya: User, recorder: Product
) -> None:
    base = live_server.url
    log_in(page, base, maya)
    page.goto(f"{base}/p/sound-recorder/testers/")
    page.get_by_role("link", name="Set up the tester programme").click()
    editor = page.get_by_test_id("programme-editor")
    editor.get_by_label("Places").fill("5")
    editor.get_by_label("Pass mark (%)").fill("100")
    write_question(page, 1, "Where does a bug's log go?", "On the bug report", "In an e-mail")
    # One choice only: the page says so at the question, and keeps what was typed.
    page.get_by_test_id("question-2").get_by_label("Question", exact=True).fill("Ship day?")
    page.get_by_test_id("question-2").get_by_label("Choice 1", exact=True).fill("Friday")
    page.get_by_test_id("question-2").get_by_label("Choice 1 is right").check()
    editor.get_by_role("button", name="Save the programme and its quiz").click()
    expect(page.get_by_test_id("question-2").get_by_role("alert")).to_contain_text(
        "A question needs two or more choices."
    )
    expect(page.get_by_test_id("question-1").get_by_label("Question", exact=True)).to_have_value(
        "Where does a bug's log go?"
    )
    page.get_by_test_id("question-2").get_by_label("Choice 2", exact=True).fill("Monday")
    editor.get_by_role("button", name="Save the programme and its quiz").click()
    expect(page.locator(".messages")).to_contain_text("The programme and its quiz are saved.")
    expect(page.get_by_test_id("programme-rules")).to_contain_text("5 places")
    expect(page.get_by_role("link", name="Edit the programme and its quiz")).to_be_visible()
    log_out(page)

    log_in(page, base, alice)
    page.goto(f"{base}/p/sound-recorder/testers/")
    expect(page.get_by_role("link", name="Edit the programme and its quiz")).to_have_count(0)
    page.get_by_role("link", name="Take the entry quiz").click()
    quiz = page.get_by_test_id("quiz")
    quiz.get_by_label("On the bug report").check()
    quiz.get_by_label("Friday").check()
    quiz.get_by_role("button", name="Send my answers").click()
    expect(page.locator(".messages")).to_contain_text("passed: welcome, Sound Recorder tester")
    # The refused save is answered with 400, which Chromium logs; nothing else may be.
    refused = f"status of 400 (Bad Request) ({base}/p/sound-recorder/testers/edit/)"
    assert [e for e in browser_errors if refused not in e] == []
    assert len(browser_errors) == 1


def test_the_editor_and_the_featured_board_pass_axe_and_fit_a_phone(
    browser, live_server, axe_source: str, maya: User, recorder: Product
) -> None:
    base = live_server.url
    # Our CSP refuses every script that is not our own file; axe is injected around it.
    context = browser.new_context(
        bypass_csp=True, locale="en-GB", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    log_in(page, base, maya)
    problems = []
    for path in ("/p/sound-recorder/testers/edit/", "/p/sound-recorder/?featured=1"):
        page.goto(base + path)
        problems += [f"{path}: {line}" for line in accessibility_problems(page, axe_source)]
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            problems.append(f"{path}: {width} pixels wide")
    context.close()
    assert problems == []
