"""Turning fans' text into safe HTML and into searchable words."""

import re
from functools import cache

import nh3
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


# Scripts written without spaces between words: Han, Hiragana, Katakana, Hangul syllables.
_CJK = re.compile(r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff])")
_WORD = re.compile(r"\w+", re.UNICODE)


def spaced_cjk(text: str) -> str:
    """Put spaces around every CJK character so each becomes a word of its own.

    Full-text engines split words on spaces, and Chinese has none; indexed this way, any
    run of characters ("录音") can be found as a phrase of one-character words ("录 音").
    """
    return _CJK.sub(r" \1 ", text)


def searchable_text(*parts: str) -> str:
    return " ".join(" ".join(spaced_cjk(part).split()) for part in parts if part)


def search_terms(query: str) -> list[list[str]]:
    """A fan's query as terms, each a phrase of words: "录音 mute" -> [["录", "音"], ["mute"]]."""
    terms = [spaced_cjk(word.lower()).split() for word in _WORD.findall(query)]
    # A bounded number of terms keeps a pasted essay from becoming a huge query.
    return terms[:8]
