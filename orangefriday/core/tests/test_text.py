"""Markdown from fans is rendered safely; text is split so Chinese can be searched."""

from html.parser import HTMLParser

import pytest
import snowballstemmer

from orangefriday.core.text import (
    Highlighter,
    absolute_links,
    plain_text,
    render_markdown,
    search_terms,
    searchable_text,
)


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
    assert searchable_text("通话录音  mute") == "通 话 录 音 mute"


def test_a_two_character_query_becomes_a_phrase():
    assert search_terms("录音") == [["录", "音"]]
    assert search_terms("Mute, phone!") == [["mute"], ["phone"]]
    assert search_terms("  ") == []


def marked(query: str, text: str, stemmer: str = "english") -> str:
    return Highlighter.for_query(query, snowballstemmer.stemmer(stemmer).stemWord).mark(text)


@pytest.mark.parametrize("stemmer", ["english", "porter"])
def test_words_are_marked_by_their_stem_whatever_the_case(stemmer):
    assert marked("muted", "Mute the phone; it mutes", stemmer) == (
        "<mark>Mute</mark> the phone; it <mark>mutes</mark>"
    )


def test_the_last_word_is_marked_as_the_start_of_a_word_the_others_whole():
    assert marked("cloud rec", "Record to the cloudy cloud") == (
        "<mark>Record</mark> to the cloudy <mark>cloud</mark>"
    )


def test_chinese_is_marked_as_the_phrase_that_matched():
    assert marked("录音", "通话时不要中断录音。录好音") == "通话时不要中断<mark>录音</mark>。录好音"
    assert marked("mp3录音", "导出mp3录音") == "导出<mark>mp3录音</mark>"


def test_the_fans_text_is_escaped_and_only_our_marks_are_html():
    html = marked("script mute", '<script>alert("mute")</script> & <mark>')
    assert html == (
        "&lt;<mark>script</mark>&gt;alert(&quot;<mark>mute</mark>&quot;)"
        "&lt;/<mark>script</mark>&gt; &amp; &lt;mark&gt;"
    )
    assert {tag for tag, _ in parsed_elements(html)} == {"mark"}


def test_a_snippet_is_cut_around_the_first_match_between_words():
    text = " ".join(f"word{i}" for i in range(100)) + " the mute button " + "tail " * 100
    highlighter = Highlighter.for_query("mute", snowballstemmer.stemmer("english").stemWord)
    snippet = highlighter.snippet(text, width=80)
    assert snippet.startswith("…word") and snippet.endswith("…")
    assert "the <mark>mute</mark> button" in snippet
    assert len(snippet) < 80 + len("<mark></mark>") + 2
    words = snippet.strip("…").replace("<mark>", "").replace("</mark>", "").split()
    assert all(w.startswith("word") or w in {"the", "mute", "button", "tail"} for w in words)


def test_a_snippet_without_a_match_is_the_start_of_the_text():
    highlighter = Highlighter.for_query("mute", snowballstemmer.stemmer("english").stemWord)
    assert highlighter.snippet("Short <b>body</b>") == "Short &lt;b&gt;body&lt;/b&gt;"
    assert highlighter.snippet("") == ""
    assert highlighter.snippet("a " * 200, width=20) == "a a a a a a a a a a…"


def test_plain_text_is_what_a_reader_sees_of_html():
    assert plain_text(render_markdown("**Mute** &amp; <b>\n\n- one")) == "Mute & <b> one"


def test_links_to_the_sites_pages_become_absolute_and_others_stay():
    html = render_markdown("[team](/p/x/teams/a/) [elsewhere](https://example.com/) [net](//evil/)")
    absolute = absolute_links(html, "http://127.0.0.1:8123")
    assert '<a href="http://127.0.0.1:8123/p/x/teams/a/"' in absolute
    assert '<a href="https://example.com/"' in absolute
    assert "http://127.0.0.1:8123//" not in absolute


def test_a_snippet_finds_a_match_read_a_piece_at_a_time_up_to_its_scan():
    highlighter = Highlighter.for_query("录音", snowballstemmer.stemmer("english").stemWord)
    for before in [995, 999, 2_500]:  # across the edge of a piece, and later
        snippet = highlighter.snippet("字" * before + "录音" + "字" * 300)
        assert "<mark>录音</mark>" in snippet and snippet.startswith("…")
    far = highlighter.snippet("字" * 6_000 + "录音")
    assert "<mark>" not in far and far.startswith("字")
