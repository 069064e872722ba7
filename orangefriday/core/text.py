"""Turning fans' text into safe HTML and into searchable words."""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from html import unescape

import nh3
from django.core.exceptions import ValidationError
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

ALLOWED_TAGS = {
    "a", "p", "br", "hr", "strong", "em", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


def _image_as_link(
    renderer: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """Render an image as a link to it: a fan's post must not make readers' browsers fetch
    third-party URLs (tracking pixels, huge files) just by being opened."""
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    alt = renderer.renderInlineAsText(token.children or [], options, env) or "image"
    return f'<a href="{nh3.clean_text(src)}">🖼 {nh3.clean_text(alt)}</a>'


@cache
def _markdown() -> MarkdownIt:
    # "html": False escapes raw HTML in the source instead of passing it through; nh3 then
    # removes anything that is still not on the allow-list (belt and braces).
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True})
    md.enable(["table", "strikethrough"])
    md.add_render_rule("image", _image_as_link)
    return md


def render_markdown(source: str) -> str:
    """Markdown from a fan, as HTML that is safe to show to every other fan."""
    html = _markdown().render(source)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer ugc",
    )


_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>~|])")


def escape_markdown(text: str) -> str:
    """A fan's one-line text (a title, a name) for a Markdown document of ours (an email):
    the characters that would make it a link, emphasis or code are escaped, so it reads as
    written."""
    return _MARKDOWN_INLINE.sub(r"\\\1", text)


_LOCAL_LINK = re.compile(r'(<a href=")(/(?!/))')


def absolute_links(html: str, base_url: str) -> str:
    """Links to this site's pages ("/posts/1/") in sanitized HTML made absolute, for
    documents read away from the site (feeds); nh3 writes every href in double quotes."""
    return _LOCAL_LINK.sub(lambda m: m.group(1) + base_url + m.group(2), html)


# Scripts written without spaces between words: Han, Hiragana, Katakana, Hangul syllables.
_CJK_CHARS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_CJK = re.compile(f"([{_CJK_CHARS}])")
_WORD = re.compile(r"\w+", re.UNICODE)
# The words a full-text engine sees in indexed text: one CJK character, or a run of other
# word characters.
_TOKEN = re.compile(f"[{_CJK_CHARS}]|[^\\W_{_CJK_CHARS}]+")


def spaced_cjk(text: str) -> str:
    """Put spaces around every CJK character so each becomes a word of its own.

    Full-text engines split words on spaces, and Chinese has none; indexed this way, any
    run of characters ("录音") can be found as a phrase of one-character words ("录 音").
    """
    return _CJK.sub(r" \1 ", text)


def searchable_text(text: str) -> str:
    """`text` as the search index stores it: CJK characters spaced apart, spaces collapsed."""
    return " ".join(spaced_cjk(text).split())


def search_terms(query: str) -> list[list[str]]:
    """A fan's query as terms, each a phrase of words: "录音 mute" -> [["录", "音"], ["mute"]]."""
    terms = [spaced_cjk(word.lower()).split() for word in _WORD.findall(query)]
    # A bounded number of terms keeps a pasted essay from becoming a huge query.
    return terms[:8]


def plain_text(html: str) -> str:
    """What a reader sees of rendered HTML, as one line of text."""
    return " ".join(unescape(strip_tags(html)).split())


SNIPPET_WIDTH = 180
# A snippet shows the first match within this many characters of a body (else its start):
# a page of twenty long bodies stays quick to mark.
SNIPPET_SCAN = 5_000
_PIECE, _PIECE_OVERLAP = 1_000, 100
# How far a cut may move to fall between words instead of inside one (CJK has no spaces,
# so a cut there stays where it is).
_WORD_SLACK = 20


def _word_start(text: str, at: int) -> int:
    at = max(at, 0)
    space = text.rfind(" ", max(at - _WORD_SLACK, 0), at + 1)
    return space + 1 if space >= 0 else at


def _word_end(text: str, at: int) -> int:
    if at >= len(text):
        return len(text)
    space = text.rfind(" ", max(at - _WORD_SLACK, 0), at + 1)
    return space if space > 0 else at


Stemmer = Callable[[str], str]


@dataclass(frozen=True)
class Highlighter:
    """Marks in a fan's text the words a search matched, as the full-text engine matched
    them: by stem ("muted" marks "mute"), CJK characters as phrases, the last word of the
    query as the start of a word. Its output is safe HTML: the text escaped, only our
    <mark> tags left as HTML."""

    phrases: tuple[tuple[str, ...], ...]  # each term of the query, as the stems of its words
    prefix_last: bool
    stem: Stemmer

    @classmethod
    def for_query(cls, query: str, stem: Stemmer, prefix_last: bool = True) -> "Highlighter":
        phrases = tuple(tuple(stem(word) for word in term) for term in search_terms(query))
        return cls(phrases=phrases, prefix_last=prefix_last, stem=stem)

    def _stems(self, text: str, start: int, end: int) -> list[tuple[int, int, str]]:
        """The words of text[start:end] with their places and stems. A word that no term
        can match gets "" instead (a stem keeps its word's first letter): long bodies stay
        cheap."""
        initials = {word[0] for phrase in self.phrases for word in phrase if word}
        return [
            (
                m.start(),
                m.end(),
                self.stem(word) if (word := m.group().lower())[0] in initials else "",
            )
            for m in _TOKEN.finditer(text, start, end)
        ]

    def _phrase_at(
        self,
        words: list[tuple[int, int, str]],
        i: int,
        phrase: tuple[str, ...],
        prefix: bool,
    ) -> bool:
        """Whether the words from i on spell the phrase (its last word's start, if prefix)."""
        window = [stem for _, _, stem in words[i : i + len(phrase)]]
        if len(window) < len(phrase):
            return False
        *whole, last = zip(window, phrase, strict=True)
        return all(stem == wanted for stem, wanted in whole) and (
            last[0].startswith(last[1]) if prefix else last[0] == last[1]
        )

    def spans(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        """Where text[start:end] matches a term, as (start, end) offsets, in order, not
        overlapping."""
        words = self._stems(text, start, len(text) if end is None else end)
        last = len(self.phrases) - 1
        spans: list[tuple[int, int]] = []
        for i, (_, _, stem) in enumerate(words):
            if not stem:  # most words: no term starts with their letter
                continue
            for p, phrase in enumerate(self.phrases):
                if not self._phrase_at(words, i, phrase, self.prefix_last and p == last):
                    continue
                match_start, match_end = words[i][0], words[i + len(phrase) - 1][1]
                if spans and match_start < spans[-1][1]:  # overlaps the one before: join
                    spans[-1] = (spans[-1][0], max(match_end, spans[-1][1]))
                else:
                    spans.append((match_start, match_end))
                break
        return spans

    def _first_span(self, text: str) -> tuple[int, int] | None:
        """The first match, read a piece at a time: most bodies match early, if at all."""
        for piece in range(0, min(len(text), SNIPPET_SCAN), _PIECE):
            found = self.spans(text, max(piece - _PIECE_OVERLAP, 0), piece + _PIECE)
            if found:
                return found[0]
        return None

    def mark(self, text: str) -> SafeString:
        """The whole text, escaped, every match in <mark>."""
        return self._marked(text, 0, len(text), self.spans(text))

    def snippet(self, text: str, width: int = SNIPPET_WIDTH) -> SafeString:
        """About `width` characters of the text around its first match (its start when
        nothing matches in the first SNIPPET_SCAN characters), escaped, matches in <mark>,
        "…" where the text was cut."""
        first = self._first_span(text)
        start = 0
        if first and first[1] > width:
            start = _word_start(text, first[0] - width // 4)
        end = _word_end(text, start + width)
        html = self._marked(text, start, end, self.spans(text, start, end))
        return mark_safe(("…" if start > 0 else "") + html + ("…" if end < len(text) else ""))

    @staticmethod
    def _marked(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> SafeString:
        parts, at = [], start
        for span_start, span_end in spans:
            span_start, span_end = max(span_start, start), min(span_end, end)
            if span_start >= span_end:
                continue
            parts += [escape(text[at:span_start]), "<mark>", escape(text[span_start:span_end])]
            parts.append("</mark>")
            at = span_end
        parts.append(escape(text[at:end]))
        return mark_safe("".join(parts))


# Characters that reorder the text around them (bidirectional embeddings, overrides and
# isolates): in a title or a name they make "exe.doc" read as "cod.exe". Removed wherever
# a fan's text is stored; the marks LRM and RLM, which reorder nothing, stay.
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
# Letters and symbols that draw nothing although Unicode does not class them as spaces.
_BLANK_LETTERS = set("\u115f\u1160\u3164\uffa0\u2800\u180e\u17b4\u17b5")
# Categories that draw nothing on their own: controls, formats (zero-width), separators,
# combining marks, unassigned and private-use code points.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"}


def without_bidi_controls(text: str) -> str:
    return text.translate(_BIDI_CONTROLS)


def is_visible(text: str) -> bool:
    """Whether `text` shows at least one character a reader can see."""
    return any(
        char not in _BLANK_LETTERS and unicodedata.category(char) not in _INVISIBLE_CATEGORIES
        for char in text
    )


def clean_line(text: str) -> str:
    """A one-line text of a fan's (a title, a name): bidi controls removed and every run of
    whitespace made one space. Callers refuse it when `is_visible` says it shows nothing."""
    return " ".join(without_bidi_controls(text).split())


INVISIBLE_MESSAGE = "Write something a reader can see: this shows nothing but blank characters."


def visible_line(text: str, *, field: str) -> str:
    """`clean_line(text)`, refused with a ValidationError on `field` when it is not empty yet
    shows nothing (emptiness is the caller's own rule)."""
    line = clean_line(text)
    if line and not is_visible(line):
        raise ValidationError({field: INVISIBLE_MESSAGE})
    return line


def visible_text(text: str, *, field: str) -> str:
    """A fan's longer text (a body, a comment): bidi controls removed, ends stripped, and
    refused like `visible_line` when it shows nothing."""
    text = without_bidi_controls(text).strip()
    if text and not is_visible(text):
        raise ValidationError({field: INVISIBLE_MESSAGE})
    return text
