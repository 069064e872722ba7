"""The demo community in a real browser: the main pages have no serious or critical WCAG 2.2
AA violation (axe-core) for a visitor, a fan and an engineer; and on a 390-pixel phone every
page a crawler reaches is no wider than the screen, with the header on one row and the
product's navigation scrolling sideways instead of wrapping."""

import re
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from orangefriday.board.models import Post
from orangefriday.core.testing.browser import accessibility_problems
from orangefriday.demo.content import CONVERSATION_POST, PASSWORD
from orangefriday.releases.models import Build

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PHONE = {"width": 390, "height": 844}
# Pages of one shape ("/posts/N/") are checked once; the crawl stops after this many shapes.
MAX_SHAPES = 150
# Not pages: the API, the admin, static files, feeds, downloads, and what changes state.
SKIPPED = re.compile(r"^/(api|admin|static)/|/logout/|\.atom$|\.csv$|/log/$|^/unsubscribe/")


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/)"))


def context_as(browser: Browser, base: str, username: str | None, **options) -> BrowserContext:
    context = browser.new_context(locale="en-GB", timezone_id="UTC", **options)
    if username:
        log_in(context.new_page(), base, username)
    return context


def main_pages() -> dict[str, list[str]]:
    post = Post.objects.get(title=CONVERSATION_POST)
    build = Build.objects.developer().published().order_by("-version_date").first()
    assert build is not None
    everyone = [
        "/",
        "/p/sound-recorder/",
        "/p/sound-recorder/?featured=1",
        post.get_absolute_url(),
        "/search/?q=mute",
        "/p/sound-recorder/roadmap/",
        "/p/sound-recorder/builds/",
        build.get_absolute_url(),
        f"/builds/{build.pk}/feedback/",
        "/p/sound-recorder/changelog/",
        "/p/sound-recorder/teams/",
        "/about/ranking/",
        "/accounts/fans/hannah_reports/",
    ]
    fans = ["/p/sound-recorder/new/", "/notifications/", "/accounts/settings/"]
    return {
        "visitor": [*everyone, "/accounts/login/", "/accounts/signup/", "/nowhere/"],
        "hannah_reports": [*everyone, *fans, "/accounts/password/"],
        "maya": [*everyone, *fans, "/p/sound-recorder/plan/", "/p/sound-recorder/testers/edit/"],
    }


def accessibility_of_main_pages(browser: Browser, demo: str, axe_source: str) -> list[str]:
    problems = []
    for who, paths in main_pages().items():
        # Our CSP refuses every script that is not our own file; axe is injected around it.
        context = context_as(browser, demo, None if who == "visitor" else who, bypass_csp=True)
        page = context.new_page()
        for path in paths:
            page.goto(demo + path)
            problems += [
                f"{who} {path}: {line}" for line in accessibility_problems(page, axe_source)
            ]
        context.close()
    return problems


def too_wide_or_two_rows(page: Page) -> str:
    """What is wrong with the page on a phone, or ""."""
    width = page.evaluate("document.documentElement.scrollWidth")
    one_row = page.evaluate(
        """() => {
          const boxes = [...document.querySelectorAll(".topbar > *")]
            .map(e => e.getBoundingClientRect());
          return Math.max(...boxes.map(b => b.top)) < Math.min(...boxes.map(b => b.bottom));
        }"""
    )
    wrong = []
    if width > PHONE["width"]:
        wrong.append(f"{width} px wide")
    if not one_row:
        wrong.append("the header takes two rows")
    nav = page.locator(".product-nav")
    if nav.count() and nav.evaluate("e => getComputedStyle(e).flexWrap") != "nowrap":
        wrong.append("the product navigation wraps")
    return ", ".join(wrong)


def crawl(
    page: Page, base: str, check: Callable[[Page], str] = too_wide_or_two_rows
) -> dict[str, str]:
    """Every page reachable by links from home, one per shape: path -> what `check` finds
    wrong with it ("" for nothing)."""
    shapes: set[str] = set()
    todo, found = ["/"], {}
    while todo and len(shapes) < MAX_SHAPES:
        path = todo.pop(0)
        shape = re.sub(r"\d+", "N", urlsplit(path).path)
        if shape in shapes:
            continue
        shapes.add(shape)
        response = page.goto(base + path)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        found[path] = check(page)
        # A link with `download` is a file to save, not a page (the fan's data, for one).
        links = "a => a.map(e => e.getAttribute('href'))"
        for href in page.eval_on_selector_all("a[href]:not([download])", links):
            link = urlsplit(urljoin(base + path, href))
            if link.netloc != urlsplit(base).netloc or SKIPPED.search(link.path):
                continue
            target = link.path + (f"?{link.query}" if link.query else "")
            if target not in todo:
                todo.append(target)
    return found


def phone_problems(browser: Browser, demo: str, who: str | None) -> dict[str, str]:
    context = context_as(browser, demo, who, viewport=PHONE, is_mobile=True, has_touch=True)
    found = crawl(context.new_page(), demo)
    context.close()
    assert len(found) > 40  # the crawl did reach the site's pages
    return {path: wrong for path, wrong in found.items() if wrong}


# One test, so that the demo community is loaded once (a minute or more).
def test_main_pages_pass_axe_and_every_page_fits_a_390_pixel_phone(browser, demo, axe_source):
    assert accessibility_of_main_pages(browser, demo, axe_source) == []
    assert phone_problems(browser, demo, None) == {}  # a visitor
    assert phone_problems(browser, demo, "maya") == {}  # an engineer sees every form too
