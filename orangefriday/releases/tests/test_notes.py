"""Release notes are a pure function of the changes: no database here."""

from orangefriday.core.text import render_markdown
from orangefriday.releases.notes import (
    NoteLine,
    announcement_title,
    change_kind_for,
    credit,
    notes_markdown,
    release_notes,
)


def line(kind: str, text: str, n: int = 0, proposer: str | None = "alice", post: int = 1):
    return NoteLine(
        kind=kind,
        text=text,
        post_url=f"/posts/{post}/",
        proposer=proposer,
        proposer_url=f"/accounts/fans/{proposer}/" if proposer else None,
        voters_count=n,
        change_id=post,
    )


def test_changes_are_grouped_new_improved_fixed_in_their_order():
    notes = release_notes(
        version="26.11.27",
        intro="  Thanks, everyone!  ",
        lines=[
            line("fixed", "No more crash on mute", 5, post=1),
            line("new", "Mute while recording", 37, post=2),
            line("new", "Bookmarks", 3, post=3),
        ],
    )
    assert [s.title for s in notes.sections] == ["New", "Fixed"]  # no empty "Improved"
    assert [x.text for x in notes.sections[0].lines] == ["Mute while recording", "Bookmarks"]
    assert notes.intro == "Thanks, everyone!"


def test_each_line_credits_the_proposer_and_the_voters():
    assert credit(line("new", "x", 37)) == "proposed by @alice · 37 fans voted"
    assert credit(line("new", "x", 1)) == "proposed by @alice · 1 fan voted"
    assert credit(line("new", "x", 0)) == "proposed by @alice"
    assert credit(line("new", "x", 4, proposer=None)) == "4 fans voted"


def test_markdown_links_each_line_to_its_post_and_the_proposer_to_their_profile():
    notes = release_notes(
        version="26.11.27",
        intro="Week 12 brings **mute**.",
        lines=[line("new", "Mute while recording", 37, post=12), line("fixed", "Crash", 2)],
    )
    text = notes_markdown(notes, build_url="/builds/5/")
    assert text.startswith("Week 12 brings **mute**.\n\n## New\n\n")
    assert (
        "- [Mute while recording](/posts/12/) — proposed by [@alice](/accounts/fans/alice/)"
        " · 37 fans voted"
    ) in text
    assert text.index("## New") < text.index("## Fixed")
    assert "[build 26\\.11\\.27](/builds/5/)" in text

    html = render_markdown(text)
    assert '<a href="/posts/12/"' in html
    assert ">@alice</a> · 37 fans voted" in html
    assert "<h2>Fixed</h2>" in html


def test_absolute_links_for_feeds_and_email():
    notes = release_notes(version="1.2.3", intro="", lines=[line("new", "Bookmarks", post=3)])
    text = notes_markdown(notes, base_url="https://fans.example.com")
    assert "(https://fans.example.com/posts/3/)" in text


def test_a_fans_title_stays_plain_text_whatever_it_contains():
    evil = "**Bold** [click](javascript:alert(1)) <img src=x onerror=alert(1)> `code` # h"
    notes = release_notes(version="1.1.1", intro="", lines=[line("new", evil, proposer="a_b*c")])
    html = render_markdown(notes_markdown(notes))
    assert "<strong>" not in html and "<code>" not in html and "<img" not in html
    assert "javascript:" not in html.replace("[click](javascript:alert(1))", "")
    assert 'href="javascript' not in html
    assert "**Bold** [click](javascript:alert(1)) &lt;img" in html
    assert "@a_b*c" in html


def test_a_build_without_changes_says_so():
    notes = release_notes(version="1.1.1", intro="", lines=[])
    assert notes.sections == ()
    assert "No fan-proposed changes" in notes_markdown(notes)


def test_long_notes_are_cut_to_fit_a_post_and_point_to_the_build_page():
    lines = [line("new", f"Change number {i} " + "x" * 250, i, post=i) for i in range(200)]
    notes = release_notes(version="26.11.27", intro="Big week.", lines=lines)
    text = notes_markdown(notes, build_url="/builds/9/", max_length=20_000)
    assert len(text) <= 20_000
    assert "Change number 0 " in text
    assert "Change number 199 " not in text
    kept = text.count("\n- ")
    assert f"…and {200 - kept} more changes on the [build 26\\.11\\.27](/builds/9/) page." in text
    assert len(notes_markdown(notes)) > 20_000  # without the limit every line is there


def test_change_kind_follows_the_posts_kind():
    assert change_kind_for("idea") == "new"
    assert change_kind_for("bug") == "fixed"
    assert change_kind_for("discussion") == "improved"


def test_announcement_title():
    assert (
        announcement_title(12, "26.11.27")
        == "Week 12 release announcement and changelog (26.11.27)"
    )
