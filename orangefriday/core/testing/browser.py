"""Browser fixtures: Playwright (sync API) driving Debian's Chromium against `live_server`.

`browser` is one Chromium for the whole session; `page` is a fresh context (own cookies,
own storage) per test, and `browser_errors` lists every console error and uncaught page
error of that test, so a test can end with `assert browser_errors == []`. Chromium reports
Content-Security-Policy violations as console errors, so that check also catches an inline
script or style the strict CSP refused.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.db import connections

from orangefriday.core.testing import PASSWORD

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from playwright.sync_api import Browser, ConsoleMessage, Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Long enough for a slow CI machine, short enough that a missing element fails fast.
DEFAULT_TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser() -> Iterator["Browser"]:
    if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
        reason = (
            "Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium);"
            " browser tests skipped"
        )
        # CI installs Chromium and sets this, so that a broken install fails instead of
        # silently skipping the browser tests.
        if os.environ.get("ORANGEFRIDAY_REQUIRE_BROWSER"):
            pytest.fail(reason.replace("skipped", "required here"))
        pytest.skip(reason)
    from playwright.sync_api import expect, sync_playwright

    # Playwright's sync API keeps an asyncio event loop running in this thread, so Django
    # takes every ORM call a test makes (creating fixtures, checking rows) for a call from
    # async code and raises SynchronousOnlyOperation. The calls are in fact synchronous;
    # allow them for as long as the browser runs, and only then.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    expect.set_options(timeout=DEFAULT_TIMEOUT_MS)
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        # While Playwright's loop runs, Django keeps this thread's database connections apart
        # from its usual ones (asgiref's Local is per context, not per thread, in a thread
        # with a running loop). Once the loop stops nothing reaches them any more: one that a
        # fixture or test left open would keep the test database from being dropped
        # ("database ... is being accessed by other users"). Close them while we still can.
        connections.close_all()
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_errors() -> list[str]:
    """Console errors (CSP violations included) and uncaught exceptions of this test's page."""
    return []


@pytest.fixture
def page(browser: "Browser", browser_errors: list[str]) -> Iterator["Page"]:
    context = browser.new_context(locale="en-GB", timezone_id="UTC")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    new_page = context.new_page()

    def on_console(message: "ConsoleMessage") -> None:
        if message.type == "error":
            browser_errors.append(f"console: {message.text} ({message.location.get('url')})")

    new_page.on("console", on_console)
    new_page.on("pageerror", lambda error: browser_errors.append(f"page error: {error}"))
    try:
        yield new_page
    finally:
        context.close()


def log_in(page: "Page", base_url: str, user: "AbstractBaseUser") -> None:
    """Log in through the real form, as a fan would."""
    from playwright.sync_api import expect

    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(user.get_username())
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # The header shows the fan's display name when they have one (accounts' User.shown_name).
    expect(page.locator(".usernav")).to_contain_text(
        getattr(user, "shown_name", user.get_username())
    )


# axe-core, from the npm registry (package-lock.json; `make browser-tools` installs it).
AXE = Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"
# What axe checks: WCAG 2.0, 2.1 and 2.2, levels A and AA.
AXE_RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script, to inject into pages (a context with `bypass_csp`: our CSP rightly
    refuses any script that is not our own file)."""
    if not AXE.exists():
        reason = (
            f"axe-core is not installed at {AXE} (make browser-tools); accessibility checks skipped"
        )
        if os.environ.get("ORANGEFRIDAY_REQUIRE_BROWSER"):
            pytest.fail(reason.replace("skipped", "required here"))
        pytest.skip(reason)
    return AXE.read_text()


def accessibility_problems(page: "Page", axe_source: str) -> list[str]:
    """The serious and critical WCAG 2.2 AA violations axe finds on the page as it is, one
    line each (rule, element, axe's message)."""
    page.add_script_tag(content=axe_source)
    violations = page.evaluate(
        """async (rules) => {
          const result = await axe.run(document, {runOnly: rules});
          return result.violations
            .filter(v => v.impact === "serious" || v.impact === "critical")
            .flatMap(v => v.nodes.map(n => `${v.id} ${n.target.join(" ")}: ${
              (n.any[0] || n.all[0] || n.none[0] || {}).message || v.help}`));
        }""",
        AXE_RULES,
    )
    return [str(line) for line in violations]
