"""Hostile posts and comments, opened in a real browser: nothing a fan writes may run script,
carry an event handler or a javascript: link, or make readers' browsers fetch a third-party
URL. Every payload would bump `window.__xss` or open an alert if it ever ran."""

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Dialog, Page, Request, expect

from orangefriday.accounts.models import User
from orangefriday.board.actions import add_comment, create_post
from orangefriday.board.models import Kind, Post, Product
from orangefriday.core.text import ALLOWED_TAGS

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

RUN = "window.__xss=(window.__xss||0)+1"

PAYLOADS = [
    f"<script>{RUN}</script>",
    f"<SCRIPT SRC=data:text/javascript,{RUN}></SCRIPT>",
    f"<<script>script>{RUN}<</script>/script>",
    f'<img src=x onerror="{RUN}">',
    f'"><img src=x onerror="{RUN}">',
    f"'><svg onload={RUN}>",
    f"<svg><a xlink:href=\"javascript:{RUN}\"><text y='20'>svg link</text></a></svg>",
    f"[markdown link](javascript:{RUN})",
    "[entity link](&#106;avascript:alert(1))",
    "[colon entity](javascript&colon;alert(1))",
    "[angle link](<javascript:alert(1)>)",
    "[reference link][evil]\n\n[evil]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "[vbscript](vbscript:msgbox(1))",
    f'<a href="javascript:{RUN}">html link</a>',
    '<a href="jAvAsCrIpT:alert(1)">mixed case</a>',
    "[mixed case](jAvAsCrIpT:alert(1))",
    '<a href="&#x6A;avascript:alert(1)">encoded</a>',
    "[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="data:text/html,<script>alert(1)</script>">data html</a>',
    "![image](javascript:alert(1))",
    '![image](x "title" onerror="alert(1)")',
    f'[title break](https://example.org "a\\" onmouseover=\\"{RUN}")',
    '<iframe srcdoc="<script>parent.__xss=(parent.__xss||0)+1</script>"></iframe>',
    f'<iframe src="javascript:{RUN}"></iframe>',
    '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">',
    f'<details open ontoggle="{RUN}"><summary>open</summary></details>',
    f"<style>@import 'javascript:{RUN}';</style><style>*{{color:red}}</style>",
    f'<math><mtext><table><mglyph><style><img src=x onerror="{RUN}">',
    f'<div style="background:url(javascript:{RUN})">styled</div>',
    f'<input autofocus onfocus="{RUN}">',
    f'<form action="javascript:{RUN}"><button formaction="javascript:{RUN}">go</button></form>',
    f'<body onload="{RUN}">',
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    f"`<script>{RUN}</script>` and\n\n    <img src=x onerror=alert(1)>",
]

# Scheme-less checks: what the browser would run or fetch, whatever the case or padding.
FORBIDDEN_URL_PREFIXES = ("javascript:", "vbscript:", "data:")

# Every element under `root` that is not plain allowed markup: a tag off the sanitiser's
# allow-list, an on* attribute, or a URL attribute with a script scheme.
FIND_HOSTILE_MARKUP = """
(root, allowedTags) => {
  const found = [];
  const urlAttributes = ["href", "src", "action", "formaction", "data", "xlink:href", "srcdoc"];
  for (const element of root.querySelectorAll("*")) {
    const tag = element.tagName.toLowerCase();
    if (allowedTags !== null && !allowedTags.includes(tag)) found.push(`<${tag}>`);
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value.replace(/[\\s\\u0000-\\u001f]/g, "").toLowerCase();
      if (name.startsWith("on")) found.push(`<${tag} ${name}>`);
      if (urlAttributes.includes(name) && /^(javascript|vbscript|data):/.test(value)) {
        found.push(`<${tag} ${name}=${attribute.value}>`);
      }
    }
  }
  return found;
}
"""


class Watch:
    """What the page did that it must not: dialogs, popups, requests to other hosts."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.host = urlsplit(base_url).hostname
        self.dialogs: list[str] = []
        self.foreign_requests: list[str] = []
        self.popups: list[str] = []
        page.on("dialog", self._on_dialog)
        page.on("request", self._on_request)
        page.on("popup", lambda popup: self.popups.append(popup.url))
        # Nothing leaves the machine: a request to another host is recorded, then refused.
        page.context.route(
            lambda url: urlsplit(url).hostname not in {self.host, "127.0.0.1"},
            lambda route: route.abort(),
        )

    def _on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _on_request(self, request: Request) -> None:
        if urlsplit(request.url).hostname not in {self.host, "127.0.0.1"}:
            self.foreign_requests.append(request.url)


def log_in_as(page: Page, base_url: str, user: User) -> None:
    """Reuse a server-side session: these tests are about reading, not about logging in."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}]
    )


def assert_nothing_ran(page: Page, watch: Watch, browser_errors: list[str]) -> None:
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert watch.dialogs == []
    assert watch.popups == []
    assert watch.foreign_requests == []
    # A CSP refusal is a console error: it would mean hostile markup reached the page.
    assert browser_errors == []


def hostile_markup_on_page(page: Page) -> list[str]:
    """Anything on the whole page that could run script, and any script not our own."""
    found: list[str] = page.locator("html").evaluate(FIND_HOSTILE_MARKUP, None)
    scripts = page.locator("script").evaluate_all("scripts => scripts.map(s => s.src)")
    found += [f"script {src!r}" for src in scripts if not urlsplit(src).path.startswith("/static/")]
    return found


def problems_in_fan_text(page: Page) -> list[str]:
    """Check every rendered post or comment body on the page: only allow-listed tags, no
    handler, no script URL; follow any link that is not an ordinary web or mail link."""
    problems = []
    bodies = page.locator(".post-body")
    for index in range(bodies.count()):
        body = bodies.nth(index)
        if "<script" in body.inner_html().lower():
            problems.append("a <script in the body's HTML")
        problems += body.evaluate(FIND_HOSTILE_MARKUP, sorted(ALLOWED_TAGS))
        links = body.locator("a")
        for link_index in range(links.count()):
            link = links.nth(link_index)
            href = (link.get_attribute("href") or "").strip().lower()
            if href.startswith(FORBIDDEN_URL_PREFIXES):
                problems.append(f"a link to {href!r}")
            link.hover()
            if link.evaluate("a => a.href && !['http:', 'https:', 'mailto:'].includes(a.protocol)"):
                problems.append(f"a link with protocol {link.evaluate('a => a.protocol')!r}")
                link.click()
    return problems


def shown_title(payload: str) -> str:
    """The title as stored and shown: create_post collapses runs of whitespace."""
    return " ".join(payload.split())


def test_hostile_posts_and_comments_render_inert(
    page: Page, live_server, browser_errors: list[str], recorder: Product, alice: User, bob: User
) -> None:
    """One post per payload (in its title and body), and every payload as a comment on the
    first post; each post page is opened as a logged-in fan, who sees the most controls."""
    posts = [
        create_post(author=alice, product=recorder, kind=Kind.IDEA, title=p, body=p)
        for p in PAYLOADS
    ]
    for payload in PAYLOADS:
        add_comment(author=bob, post=posts[0], body=payload)
    base = live_server.url
    watch = Watch(page, base)
    log_in_as(page, base, bob)

    problems: dict[str, list[str]] = {}
    for payload, post in zip(PAYLOADS, posts, strict=True):
        page.goto(f"{base}/posts/{post.pk}/")
        found = problems_in_fan_text(page) + hostile_markup_on_page(page)
        # The title is shown as the text the fan typed, not interpreted.
        if (title := page.get_by_role("heading", level=1).inner_text()) != shown_title(payload):
            found.append(f"title shown as {title!r}")
        if page.evaluate("typeof window.__xss") != "undefined":
            found.append("window.__xss was set")
        if found:
            problems[payload] = found
    assert problems == {}

    # The first post carries every payload as a comment, all on one page.
    page.goto(f"{base}/posts/{posts[0].pk}/")
    expect(page.locator(".comment-body")).to_have_count(len(PAYLOADS))
    page.locator("details.reply summary").first.click()  # open a reply form, run the page a bit
    page.wait_for_timeout(150)  # let any late onload/ontoggle/onfocus fire
    assert problems_in_fan_text(page) == []
    assert hostile_markup_on_page(page) == []
    assert_nothing_ran(page, watch, browser_errors)


def test_hostile_titles_are_inert_on_every_list_of_posts(
    page: Page, live_server, browser_errors: list[str], recorder: Product, alice: User, bob: User
) -> None:
    for payload in PAYLOADS:
        create_post(author=alice, product=recorder, kind=Kind.IDEA, title=payload, body=payload)
    base = live_server.url
    watch = Watch(page, base)
    log_in_as(page, base, bob)

    titles_seen: set[str] = set()
    for path in [
        "/",
        "/p/sound-recorder/",
        "/p/sound-recorder/?page=2",
        "/p/sound-recorder/?sort=new",
        "/search/?q=alert",
        "/accounts/fans/alice/",
    ]:
        page.goto(base + path)
        titles_seen.update(page.locator(".post-row h3").all_inner_texts())
        assert hostile_markup_on_page(page) == [], path
    # Every title made it onto a list, as text.
    assert {shown_title(p) for p in PAYLOADS} <= titles_seen

    # The "similar posts" fragment shows hostile titles too, swapped in by htmx.
    page.goto(f"{base}/p/sound-recorder/new/")
    page.get_by_label("Title").fill("alert script onerror")
    expect(page.get_by_test_id("similar-posts").locator("a").first).to_be_visible()
    assert hostile_markup_on_page(page) == []

    assert Post.objects.count() == len(PAYLOADS)
    assert_nothing_ran(page, watch, browser_errors)


def test_an_external_markdown_image_is_never_fetched(
    page: Page, live_server, browser_errors: list[str], recorder: Product, alice: User
) -> None:
    post = create_post(
        author=alice,
        product=recorder,
        kind=Kind.BUG,
        title="Waveform is blank",
        body="See ![screenshot](https://example.com/x.png) and ![pixel](//example.com/p.gif)",
    )
    add_comment(author=alice, post=post, body="![again](https://example.com/again.png)")
    base = live_server.url
    watch = Watch(page, base)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto(f"{base}/posts/{post.pk}/", wait_until="networkidle")
    body = page.get_by_test_id("post-body")
    # The image is offered as a link to it instead.
    expect(body.get_by_role("link", name="screenshot")).to_have_attribute(
        "href", "https://example.com/x.png"
    )
    expect(page.locator("img")).to_have_count(0)

    assert requested, "the page made no request at all?"
    assert {urlsplit(url).hostname for url in requested} <= {watch.host, "127.0.0.1"}, requested
    assert_nothing_ran(page, watch, browser_errors)
