"""Text in our templates that is not marked for translation (the catalogue test runs it).

A template's own words must be inside `{% translate %}` or `{% blocktranslate %}`: whatever
Latin letters are left, in the text a fan reads or in the attributes they hear or see
(`title`, `placeholder`, `aria-label`, `alt`), once the template's tags and variables, the
translated blocks, comments, scripts, styles and code are taken out, are an offence; so are
the words of an email template (`.txt`). Words that are the same in every language (the
API, Markdown, the brand mark "OF") are listed in KEPT.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import Lexer, TokenType

PACKAGE = Path(__file__).resolve().parents[1]
# Not words of a language: names and marks that stay as they are in every catalogue.
KEPT = {"API", "OF", "Markdown", "RSS", "Atom", "OpenAPI", "JSON", "ID", "htmx", "CSV", "UTC"}
LETTERS = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*")
TRANSLATED_BLOCKS = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans"}
SKIPPED_BLOCKS = {"comment": "endcomment", "verbatim": "endverbatim", **TRANSLATED_BLOCKS}
SEEN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}
UNREAD_ELEMENTS = {"script", "style", "code", "pre", "kbd", "samp"}


def untagged_text(source: str) -> str:
    """The template with its tags, variables and translated or skipped blocks replaced by a
    space (so that markup around them stays well formed)."""
    parts = []
    closing: str | None = None
    for token in Lexer(source).tokenize():
        if closing is not None:
            if token.token_type == TokenType.BLOCK and token.contents.split()[0] == closing:
                closing = None
            continue
        if token.token_type == TokenType.TEXT:
            parts.append(token.contents)
            continue
        if token.token_type == TokenType.BLOCK:
            closing = SKIPPED_BLOCKS.get(token.contents.split()[0])
        parts.append(" ")
    return "".join(parts)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.unread = 0
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in UNREAD_ELEMENTS:
            self.unread += 1
        self.found += [value for name, value in attrs if name in SEEN_ATTRIBUTES and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in UNREAD_ELEMENTS:
            self.unread = max(self.unread - 1, 0)

    def handle_data(self, data: str) -> None:
        if not self.unread:
            self.found.append(data)


def words(text: str) -> list[str]:
    return [word for word in LETTERS.findall(text) if word not in KEPT]


def offences(template: Path) -> list[str]:
    """The unmarked words of one template, as short excerpts."""
    text = untagged_text(template.read_text())
    if template.suffix == ".txt":
        pieces = [text]
    else:
        reader = _Reader()
        reader.feed(text)
        reader.close()
        pieces = reader.found
    return [" ".join(piece.split())[:80] for piece in pieces if words(piece)]


def templates() -> list[Path]:
    return sorted(
        path
        for pattern in ("*/templates/**/*.html", "*/templates/**/*.txt")
        for path in PACKAGE.glob(pattern)
    )
