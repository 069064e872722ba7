"""Release notes as pure functions: grouping a build's changes and writing them as Markdown.

Nothing here touches the database: callers pass plain `NoteLine`s (see queries.notes_for).
The same `ReleaseNotes` feeds the build page (a template) and the announcement post, the
changelog feed and the API (Markdown, rendered by core.text.render_markdown).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# The sections of the notes, in order. The keys are ChangeKind's values; the titles are in
# the language of the page or post being made.
SECTIONS = (("new", _("New")), ("improved", _("Improved")), ("fixed", _("Fixed")))
SECTION_TITLES = dict(SECTIONS)

# What a shipped post becomes in the notes, from the post's kind (engineers may change it).
KIND_OF_POST = {"idea": "new", "discussion": "improved", "bug": "fixed"}


def change_kind_for(post_kind: str) -> str:
    """bug -> fixed, idea -> new, discussion -> improved."""
    return KIND_OF_POST.get(post_kind, "improved")


@dataclass(frozen=True)
class NoteLine:
    """One change as the notes show it."""

    kind: str
    text: str
    post_url: str | None = None
    proposer: str | None = None
    proposer_url: str | None = None
    voters_count: int = 0
    change_id: int | None = None


@dataclass(frozen=True)
class NoteSection:
    kind: str
    title: str
    lines: tuple[NoteLine, ...]


@dataclass(frozen=True)
class ReleaseNotes:
    version: str
    intro: str
    sections: tuple[NoteSection, ...]

    @property
    def lines(self) -> list[NoteLine]:
        return [line for section in self.sections for line in section.lines]


def release_notes(*, version: str, intro: str, lines: Iterable[NoteLine]) -> ReleaseNotes:
    """Group lines into new / improved / fixed (empty sections left out), keeping the
    order they came in within each section."""
    by_kind: dict[str, list[NoteLine]] = {kind: [] for kind, _ in SECTIONS}
    for line in lines:
        by_kind.setdefault(line.kind, []).append(line)
    sections = tuple(
        NoteSection(
            kind=kind, title=str(SECTION_TITLES.get(kind, kind.title())), lines=tuple(found)
        )
        for kind, found in by_kind.items()
        if found
    )
    return ReleaseNotes(version=version, intro=intro.strip(), sections=sections)


def votes_phrase(voters_count: int) -> str:
    if voters_count <= 0:
        return ""
    return "1 fan voted" if voters_count == 1 else f"{voters_count} fans voted"


def credit(line: NoteLine) -> str:
    """ "proposed by @alice · 37 fans voted" (either half left out when unknown)."""
    parts = []
    if line.proposer:
        parts.append(f"proposed by @{line.proposer}")
    votes = votes_phrase(line.voters_count)
    if votes:
        parts.append(votes)
    return " · ".join(parts)


# CommonMark lets any ASCII punctuation be backslash-escaped; escaping all of it makes a
# fan's title (or username) plain text, whatever brackets, stars or HTML it contains.
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def escape_markdown(text: str) -> str:
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", " ".join(text.split()))


def _line_markdown(line: NoteLine, base_url: str) -> str:
    text = escape_markdown(line.text)
    out = f"- [{text}]({base_url}{line.post_url})" if line.post_url else f"- {text}"
    if line.proposer:
        who = "@" + escape_markdown(line.proposer)
        if line.proposer_url:
            who = f"[{who}]({base_url}{line.proposer_url})"
        out += f" — proposed by {who}"
        votes = votes_phrase(line.voters_count)
        if votes:
            out += f" · {votes}"
    elif line.voters_count > 0:
        out += f" — {votes_phrase(line.voters_count)}"
    return out


def notes_markdown(
    notes: ReleaseNotes,
    *,
    base_url: str = "",
    build_url: str | None = None,
    max_length: int | None = None,
) -> str:
    """The notes as Markdown: the engineers' intro, then `## New` / `## Improved` / `## Fixed`
    with one linked, credited line per change, then a link to the build page.

    `base_url` is put before every link (empty for on-site posts, SITE_URL for feeds).
    With `max_length`, the last lines are replaced by "…and N more" so that the text fits
    (a post's body has a maximum length; the build page always lists every change).
    """
    rendered = [
        (section, [_line_markdown(line, base_url) for line in section.lines])
        for section in notes.sections
    ]
    total = sum(len(lines) for _, lines in rendered)
    text = _assemble(notes, rendered, total, base_url, build_url)
    if max_length is None or len(text) <= max_length:
        return text
    keep = total
    while keep > 0 and len(text) > max_length:
        # Dropping lines one at a time is quadratic, but only for notes of hundreds of lines.
        keep -= 1
        text = _assemble(notes, rendered, keep, base_url, build_url)
    return text[:max_length]


def _assemble(
    notes: ReleaseNotes,
    rendered: list[tuple[NoteSection, list[str]]],
    keep: int,
    base_url: str,
    build_url: str | None,
) -> str:
    blocks = [notes.intro] if notes.intro else []
    left = keep
    for section, lines in rendered:
        if left <= 0:
            break
        shown = lines[:left]
        left -= len(shown)
        blocks.append(f"## {section.title}\n\n" + "\n".join(shown))
    total = sum(len(lines) for _, lines in rendered)
    if total == 0:
        blocks.append("No fan-proposed changes in this build.")
    link = f"[build {escape_markdown(notes.version)}]({base_url}{build_url})" if build_url else ""
    if keep < total:
        more = total - keep
        where = f" on the {link} page" if link else ""
        blocks.append(f"…and {more} more change{'s' if more != 1 else ''}{where}.")
    elif link:
        blocks.append(f"Details: {link}.")
    return "\n\n".join(blocks) + "\n"


def announcement_title(week: int | None, version: str) -> str:
    """The pinned post's title: "Week 12 release announcement and changelog (26.11.27)"."""
    prefix = f"Week {week} release" if week else "Release"
    return f"{prefix} announcement and changelog ({version})"
