"""Markdown from fans is rendered safely; text is split so Chinese can be searched."""

from html.parser import HTMLParser

import pytest

from orangefriday.core.text import render_markdown, search_terms, searchable_text


def test_markdown_formats_what_fans_write():
    html = render_markdown("**Mute** the phone\n\n- while recording\n- during calls")
    assert "<strong>Mute</strong>" in html
    assert "<li>while recording</li>" in html


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        '<svg onload="alert(1)">',
        "![x](javascript:alert(1))",
        '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    ],
)
def test_no_markup_survives_that_could_run_code(source):
    elements = parsed_elements(render_markdown(source))
    tags = {tag for tag, _ in elements}
    assert not tags & {"script", "img", "svg", "iframe", "object", "embed", "style"}
    for _, attrs in elements:
        assert not [name for name in attrs if name.startswith("on")]
        href = (attrs.get("href") or "").strip().lower()
        assert href.startswith(("http:", "https:", "mailto:")) or not href


def parsed_elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    """The elements a browser would build from `html` (escaped text stays text)."""
    found: list[tuple[str, dict[str, str | None]]] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, dict(attrs)))

    Collector().feed(html)
    return found


def test_raw_html_is_shown_as_text_not_dropped_silently():
    assert "&lt;b&gt;hi&lt;/b&gt;" in render_markdown("<b>hi</b>")


def test_external_images_become_links_and_are_not_loaded():
    html = render_markdown("![diagram](https://example.com/d.png)")
    assert "<img" not in html
    assert 'href="https://example.com/d.png"' in html
    assert "diagram" in html


def test_links_carry_nofollow():
    html = render_markdown("[docs](https://example.com)")
    assert 'rel="nofollow noopener noreferrer ugc"' in html


def test_chinese_is_indexed_one_character_per_word():
    assert searchable_text("通话录音", "mute") == "通 话 录 音 mute"


def test_a_two_character_query_becomes_a_phrase():
    assert search_terms("录音") == [["录", "音"]]
    assert search_terms("Mute, phone!") == [["mute"], ["phone"]]
    assert search_terms("  ") == []
