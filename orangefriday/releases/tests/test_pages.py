"""The builds page, the build page with its engineer controls, the changelog and its feed."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.utils import timezone

from orangefriday.board.models import Post
from orangefriday.core.events import dispatch
from orangefriday.notifications.models import OutboxEmail
from orangefriday.releases.cuts import (
    cut_and_publish_due_builds,
    cut_developer_build,
    cut_internal_build,
)
from orangefriday.releases.models import Build, Change
from orangefriday.releases.stable import promote_to_stable

from .conftest import local, ship

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def week(clock, product, maya, alice, bob, fans):
    """Week 1 (26.11.27), published by the scheduler; week 2 (26.12.4) cut as a draft."""
    clock.move_to(local(2026, 11, 25, 10, 0))
    ship(engineer=maya, author=alice, product=product, title="Mute while recording", voters=fans)
    ship(engineer=maya, author=bob, product=product, title="Crash on full SD card", kind="bug")
    clock.move_to(local(2026, 11, 27, 17, 0))
    (published,) = cut_and_publish_due_builds(now=timezone.now())
    clock.move_to(local(2026, 12, 4, 17, 0))
    draft = cut_developer_build(product=product, at=timezone.now()).build
    return published, draft


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_build_page_groups_the_notes_with_links_and_credits(week, alice):
    build, _ = week
    mute = build.changes.get(kind="new")
    page = text_of(Client().get(build.get_absolute_url()))

    assert "Sound Recorder 26.11.27" in page
    assert "Week 1" in page
    assert page.index(">New<") < page.index(">Fixed<")
    # A line's text is the engineers' own, not translated (translate="no").
    assert f'<a href="/posts/{mute.post_id}/" translate="no">Mute while recording</a>' in page
    assert 'proposed by <a href="/accounts/fans/alice/">@alice</a> · 5 fans voted' in page
    assert "Release announcement and discussion" in page
    assert "engineer-panel" not in page  # a visitor sees no controls
    assert 'rel="alternate" type="application/atom+xml"' in page
    assert "style=" not in page  # the CSP allows no inline style


def test_engineers_see_the_edit_forms_and_publish_button(week, maya, alice, logged_in):
    _, draft = week
    page = text_of(logged_in(maya).get(draft.get_absolute_url()))
    assert "Publish 26.12.4" in page
    assert "Save intro" in page
    assert text_of(logged_in(alice).get(draft.get_absolute_url())).count("Save intro") == 0


def test_drafts_are_hidden_from_fans(week, alice, logged_in):
    _, draft = week
    assert logged_in(alice).get(draft.get_absolute_url()).status_code == 404
    builds = text_of(logged_in(alice).get("/p/sound-recorder/builds/"))
    assert "26.11.27" in builds and "26.12.4" not in builds


def test_an_engineer_publishes_and_edits_from_the_page(week, maya, logged_in):
    _, draft = week
    client = logged_in(maya)

    response = client.post(f"/builds/{draft.pk}/publish/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.published_at is not None and draft.published_by == maya
    assert draft.announcement is not None
    assert draft.announcement.title.startswith("Week 2 release announcement")

    response = client.post(
        f"/builds/{draft.pk}/notes/", {"intro": "Quiet week, **faster** app."}, follow=True
    )
    page = text_of(response)
    assert response.redirect_chain == [(draft.get_absolute_url(), 302)]
    assert "Intro saved." in page
    assert "<strong>faster</strong>" in page
    assert Post.objects.get(pk=draft.announcement_id).body.startswith("Quiet week")


def test_an_engineer_rewords_a_line_and_a_wrong_one_shows_its_error(week, maya, logged_in):
    build, _ = week
    change = build.changes.get(kind="fixed")
    client = logged_in(maya)

    response = client.post(
        f"/changes/{change.pk}/",
        {
            f"c{change.pk}-text": "No more crash when the card is full",
            f"c{change.pk}-kind": "fixed",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#change-{change.pk}")
    assert "No more crash when the card is full" in text_of(client.get(build.get_absolute_url()))
    announcement = Post.objects.get(announced_build=build)
    assert "No more crash when the card is full" in announcement.body_html

    response = client.post(
        f"/changes/{change.pk}/", {f"c{change.pk}-text": "", f"c{change.pk}-kind": "fixed"}
    )
    assert response.status_code == 400
    assert "This field is required." in text_of(response)
    assert Change.objects.get(pk=change.pk).text == "No more crash when the card is full"


def test_fans_cannot_post_to_the_engineer_controls(week, alice, logged_in):
    build, _ = week
    client = logged_in(alice)
    assert client.post(f"/builds/{build.pk}/notes/", {"intro": "hi"}).status_code == 403
    assert client.post(f"/builds/{build.pk}/promote/").status_code == 403
    assert client.post("/p/sound-recorder/builds/internal/").status_code == 403
    change = build.changes.first()
    assert change is not None
    response = client.post(f"/changes/{change.pk}/", {f"c{change.pk}-text": "x"})
    assert response.status_code == 403
    assert Client().post(f"/builds/{build.pk}/notes/").status_code == 302  # to log in


def test_stable_rollout_controls(week, maya, logged_in):
    build, _ = week
    client = logged_in(maya)
    client.post(f"/builds/{build.pk}/promote/")
    stable = Build.objects.get(channel="stable")
    page = text_of(client.get(stable.get_absolute_url()))
    assert "Stable beta" in page and "Raise rollout" in page

    assert client.post(f"/builds/{stable.pk}/rollout/", {"percent": "10"}).status_code == 302
    response = client.post(f"/builds/{stable.pk}/rollout/", {"percent": "5"})
    assert response.status_code == 400
    assert "only goes up" in text_of(response)
    client.post(f"/builds/{stable.pk}/halt/")
    page = text_of(client.get(stable.get_absolute_url()))
    assert "Rolled out to 10% · <strong>halted</strong>" in page
    assert "Resume rollout" in page
    client.post(f"/builds/{stable.pk}/resume/")
    assert client.post(f"/builds/{stable.pk}/rollout/", {"percent": "100"}).status_code == 302
    assert "Everyone is offered this build." in text_of(client.get(stable.get_absolute_url()))


def test_the_builds_page_filters_by_channel(week, product, maya, logged_in):
    build, _ = week
    cut_internal_build(product=product, at=timezone.now(), by=maya)
    promote_to_stable(by=maya, build=build)
    client = logged_in(maya)
    everything = text_of(client.get("/p/sound-recorder/builds/"))
    assert "26.12.4-internal.1" in everything and "Draft" in everything
    internal = text_of(client.get("/p/sound-recorder/builds/?channel=internal"))
    assert "26.12.4-internal.1" in internal and 'data-version="26.11.27"' not in internal
    stable = text_of(client.get("/p/sound-recorder/builds/?channel=stable"))
    assert stable.count('class="card build-row"') == 1


def test_an_engineer_cuts_an_internal_build_from_the_page(week, maya, logged_in):
    response = logged_in(maya).post("/p/sound-recorder/builds/internal/")
    build = Build.objects.get(channel="internal")
    assert response["Location"] == build.get_absolute_url()
    assert build.version == "26.12.4-internal.1"


def test_the_changelog_lists_published_developer_builds_newest_first(week, clock, product):
    clock.move_to(local(2026, 12, 11, 17, 0))
    cut_and_publish_due_builds(now=timezone.now())
    page = text_of(Client().get("/p/sound-recorder/changelog/"))

    assert page.index("Week 3 · 26.12.11") < page.index("Week 1 · 26.11.27")
    assert "26.12.4" not in page  # still a draft
    assert "Mute while recording" in page and "proposed by" in page
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Sound Recorder changelog" '
        'href="/p/sound-recorder/changelog.atom">'
    ) in page


def test_the_atom_feed_has_one_entry_per_published_build(week, settings):
    settings.SITE_URL = "https://fans.example.com"
    response = Client().get("/p/sound-recorder/changelog.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.findtext(f"{ATOM}title") == "Sound Recorder changelog"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Week 1: Sound Recorder 26.11.27"]
    summary = entries[0].findtext(f"{ATOM}summary") or ""
    assert '<a href="https://fans.example.com/posts/' in summary
    assert "5 fans voted" in summary
    assert entries[0].findtext(f"{ATOM}id", "").startswith("https://fans.example.com/builds/")


@pytest.fixture
def site_on_8123(settings):
    """As `make run PORT=8123` sets it (see core/tests/test_address.py)."""
    settings.SITE_URL = "http://127.0.0.1:8123"


def test_the_feed_and_the_emails_link_to_the_address_served(site_on_8123, week):
    dispatch()  # the worker's job after the publication: the emails are written
    feed = ET.fromstring(Client().get("/p/sound-recorder/changelog.atom").content)
    links = [link.get("href", "") for link in feed.iter(f"{ATOM}link")]
    links += [entry.findtext(f"{ATOM}id", "") for entry in feed.iter(f"{ATOM}entry")]
    assert len(links) == 4  # the changelog, the feed itself, the entry's page and its id
    assert all(link.startswith("http://127.0.0.1:8123/") for link in links), links
    summary = feed.find(f"{ATOM}entry/{ATOM}summary")
    assert summary is not None and 'href="http://127.0.0.1:8123/posts/' in (summary.text or "")
    emails = OutboxEmail.objects.all()
    assert emails and all("http://127.0.0.1:8123/" in email.body for email in emails)
    assert all(
        "http://127.0.0.1:8123/builds/" in e.body for e in emails.filter(key__startswith="build:")
    )


def test_the_board_pins_the_announcement_and_links_the_feed(week):
    page = text_of(Client().get("/p/sound-recorder/"))
    assert 'type="application/atom+xml"' in page
    assert "/p/sound-recorder/changelog.atom" in page
    pinned = page[page.index('data-testid="pinned"') :]
    assert "Week 1 release announcement and changelog (26.11.27)" in pinned


def test_unknown_products_and_builds_are_404(db):
    client = Client()
    assert client.get("/p/nope/builds/").status_code == 404
    assert client.get("/p/nope/changelog/").status_code == 404
    assert client.get("/p/nope/changelog.atom").status_code == 404
    assert client.get("/builds/999/").status_code == 404
