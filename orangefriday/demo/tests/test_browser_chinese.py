"""中文 in a real browser: a fan, and an engineer for the engineers' pages, switch to Chinese
with the header's switcher, and no page the crawler reaches shows an English word of ours.

What is read: every text node of the page and the attributes people read or hear
(placeholder, title, aria-label, alt, the value of a submit button). What is not ours to
translate is left out: what fans and engineers wrote (the templates put `translate="no"` on
it, the HTML attribute that tells translation tools the same), text in another `lang` (the
switcher's "English"), code, the names in ALLOWED and the names the database holds
(usernames and display names, products', launches' and editions' names).
"""

import os
import re
import struct
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from orangefriday.accounts.models import User, time_zones
from orangefriday.board.models import Post, Product
from orangefriday.core.untranslated import KEPT
from orangefriday.demo.content import CONVERSATION_POST
from orangefriday.demo.tests.test_browser_pages import PHONE, context_as, crawl
from orangefriday.sales.models import Address, Edition, Launch

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

# Names that are the same in every language, besides the lint's KEPT and those the test takes
# from the database: the fans' usernames and addresses, the products', launches' and
# editions' names, the time zones.
ALLOWED = {"Orange Friday", "bug", "F", "HTTP", "https", "MB", "GB", "CNY", "Beta", "Discourse"}
ALLOWED |= {"English"}  # the language switcher's and the settings' own name of English
ALLOWED |= {"JPEG", "PNG", "WebP", "GIF"}  # image formats, named as they are
LATIN = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*")
# Addresses are not words: "/posts/12/", "https://…".
PATHS = re.compile(r"\S*/\S*")

READ_TEXT = """() => {
  const notOurs = "script, style, noscript, code, pre, kbd, samp, textarea, [translate=no]";
  const inChinese = e => (e.closest("[lang]")?.getAttribute("lang") || "").startsWith("zh");
  const ours = e => e && !e.closest(notOurs) && inChinese(e);
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (ours(node.parentElement) && node.textContent.trim()) found.push(node.textContent);
  }
  for (const e of document.body.querySelectorAll("*")) {
    if (!ours(e)) continue;
    for (const name of ["placeholder", "title", "aria-label", "alt"]) {
      if (e.getAttribute(name)) found.push(e.getAttribute(name));
    }
    if (e.matches("input[type=submit], input[type=button]") && e.value) found.push(e.value);
  }
  return found;
}"""


def names_kept() -> re.Pattern[str]:
    """One pattern for every name allowed to stay in Latin letters, longest first."""
    names = ALLOWED | KEPT | set(User.objects.values_list("username", flat=True))
    names |= set(User.objects.exclude(display_name="").values_list("display_name", flat=True))
    names |= set(User.objects.values_list("email", flat=True))
    names |= set(Product.objects.values_list("name", flat=True))
    names |= set(Launch.objects.values_list("name", flat=True))
    names |= set(Edition.objects.values_list("name", flat=True))
    names |= {str(address) for address in Address.objects.all()}
    names |= set(time_zones())
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    # Bounded by Latin letters only: a name touches Chinese text ("MIUI的").
    return re.compile(rf"(?<![A-Za-z0-9_-])(?:{alternatives})(?![A-Za-z0-9_-])")


def english_on(page: Page, kept: re.Pattern[str]) -> str:
    """The English words of ours on the page, as the pieces of text they are in ("" for none)."""
    pieces = {" ".join(text.split()) for text in page.evaluate(READ_TEXT)}
    english = sorted(
        piece for piece in pieces if LATIN.search(kept.sub(" ", PATHS.sub(" ", piece)))
    )
    return " | ".join(piece[:60] for piece in english)


DESKTOP = {"width": 1280, "height": 900}


def in_chinese(page: Page, demo: str) -> None:
    """Switch to 中文 as a fan would: the header's switcher, on the home page (a fan who
    switched before has it as their setting already)."""
    page.goto(demo + "/")
    if page.evaluate("document.documentElement.lang") != "zh-Hans":
        page.get_by_role("button", name="简体中文").click()
    page.wait_for_function("document.documentElement.lang === 'zh-Hans'")


def screenshots(browser: Browser, demo: str, into: Path) -> dict[Path, int]:
    """The board and a post in 中文, on a desktop and a 390-pixel phone, as a fan sees them
    (README "Languages and time"): each PNG and its width in pixels."""
    post = Post.objects.get(title=CONVERSATION_POST).get_absolute_url()
    widths = {}
    for suffix, viewport in (("", DESKTOP), ("-phone", PHONE)):
        phone = viewport == PHONE
        context = context_as(
            browser, demo, "hannah_reports", viewport=viewport, is_mobile=phone, has_touch=phone
        )
        page = context.new_page()
        in_chinese(page, demo)
        for name, path in (("board", "/p/sound-recorder/"), ("post", post)):
            page.goto(demo + path)
            shot = into / f"{name}-zh{suffix}.png"
            page.screenshot(path=shot)
            # A PNG's width is the first field of its IHDR chunk, at byte 16.
            widths[shot] = struct.unpack(">I", shot.read_bytes()[16:20])[0]
        context.close()
    return widths


def english_pages(browser: Browser, demo: str, who: str) -> dict[str, str]:
    context = context_as(browser, demo, who)
    page = context.new_page()
    in_chinese(page, demo)
    kept = names_kept()
    found = crawl(page, demo, lambda page: english_on(page, kept))
    context.close()
    assert len(found) > 40  # the crawl did reach the site's pages
    return {path: english for path, english in found.items() if english}


def test_the_lint_reads_what_a_fan_reads(browser, live_server):
    context = browser.new_context()
    page = context.new_page()
    page.set_content(
        '<html lang="zh-Hans"><body><h1>投票</h1><p title="Your vote">两票</p>'
        '<div translate="no">A fan wrote this</div><button lang="en">English</button>'
        '<input type="submit" value="Send"><code>Bearer</code><p>Orange Friday · API</p>'
        "</body></html>"
    )
    assert english_on(page, re.compile(r"(?<![A-Za-z-])(?:Orange Friday|API)(?![A-Za-z-])")) == (
        "Send | Your vote"
    )
    context.close()


# One test, so that the demo community is loaded once (a minute or more). The screenshots
# go to a temporary folder; `ORANGEFRIDAY_SCREENSHOTS=docs` makes docs/*-zh*.png again.
def test_in_chinese_no_page_shows_an_english_word(browser, demo, tmp_path):
    assert english_pages(browser, demo, "hannah_reports") == {}  # a fan
    assert english_pages(browser, demo, "maya") == {}  # an engineer sees every form too
    into = Path(os.environ.get("ORANGEFRIDAY_SCREENSHOTS", tmp_path))
    widths = screenshots(browser, demo, into)
    assert sorted(widths.values()) == [PHONE["width"]] * 2 + [DESKTOP["width"]] * 2
