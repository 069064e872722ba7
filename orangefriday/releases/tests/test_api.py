"""The builds API: reads for everyone, writes for the product's engineers."""

import pytest
from django.utils import timezone

from orangefriday.board.models import Post
from orangefriday.releases.cuts import cut_and_publish_due_builds, cut_developer_build
from orangefriday.releases.models import Build

from .conftest import local, ship

pytestmark = pytest.mark.django_db


@pytest.fixture
def week(clock, product, maya, alice, bob, fans, settings):
    settings.SITE_URL = "https://fans.example.com"
    clock.move_to(local(2026, 11, 25, 10, 0))
    ship(engineer=maya, author=alice, product=product, title="Mute while recording", voters=fans)
    ship(engineer=maya, author=bob, product=product, title="Crash on full SD card", kind="bug")
    clock.move_to(local(2026, 11, 27, 17, 0))
    (published,) = cut_and_publish_due_builds(now=timezone.now())
    clock.move_to(local(2026, 12, 4, 17, 0))
    draft = cut_developer_build(product=product, at=timezone.now()).build
    return published, draft


def patch(client, path, json):
    return client.request("PATCH", path, json)


def test_anyone_lists_published_builds_and_engineers_see_drafts(week, api_as, maya):
    response = api_as(None).get("/products/sound-recorder/builds")
    assert response.status_code == 200
    assert [(b["version"], b["channel"]) for b in response.json()] == [("26.11.27", "developer")]
    first = response.json()[0]
    assert first["week_number"] == 1 and first["changes_count"] == 2
    assert first["url"] == f"https://fans.example.com/builds/{first['id']}/"

    mine = api_as(maya).get("/products/sound-recorder/builds").json()
    assert [b["version"] for b in mine] == ["26.12.4", "26.11.27"]
    assert mine[0]["published_at"] is None


def test_channel_filter_and_bad_channel(week, api_as):
    assert api_as(None).get("/products/sound-recorder/builds", channel="stable").json() == []
    response = api_as(None).get("/products/sound-recorder/builds", channel="nightly")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "channel"
    assert api_as(None).get("/products/nope/builds").status_code == 404


def test_a_build_with_its_changes_proposers_and_voters(week, api_as):
    build, _ = week
    body = api_as(None).get(f"/builds/{build.pk}").json()
    assert body["version"] == "26.11.27"
    assert body["announcement_post_id"] == build.announcement_id
    mute, crash = body["changes"]
    assert mute["kind"] == "new" and mute["text"] == "Mute while recording"
    assert mute["proposer"] == "alice" and mute["voters_count"] == 5
    assert mute["post_url"] == f"https://fans.example.com/posts/{mute['post_id']}/"
    assert crash["kind"] == "fixed" and crash["proposer"] == "bob"
    assert "## New" in body["notes_markdown"]


def test_drafts_and_unknown_builds_are_404_for_fans(week, api_as, alice):
    _, draft = week
    assert api_as(alice).get(f"/builds/{draft.pk}").status_code == 404
    assert api_as(None).get("/builds/9999").status_code == 404
    response = api_as(alice).post(f"/builds/{draft.pk}/publish")
    assert response.status_code == 404


def test_engineers_cut_internal_builds_fans_get_403(week, api_as, maya, alice):
    response = api_as(alice).post("/products/sound-recorder/builds", {"channel": "internal"})
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"

    response = api_as(maya).post("/products/sound-recorder/builds", {"channel": "internal"})
    assert response.status_code == 201
    assert response.json()["version"] == "26.12.4-internal.1"
    assert api_as(maya).post("/products/sound-recorder/builds").json()["version"] == (
        "26.12.4-internal.2"
    )

    response = api_as(maya).post("/products/sound-recorder/builds", {"channel": "developer"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "channel"
    assert api_as(None).post("/products/sound-recorder/builds").status_code == 401


def test_publish_edit_and_change_lines(week, api_as, maya, alice):
    _, draft = week
    engineer = api_as(maya)

    response = engineer.post(f"/builds/{draft.pk}/publish")
    assert response.status_code == 200
    body = response.json()
    assert body["published_at"] is not None
    post = Post.objects.get(pk=body["announcement_post_id"])
    assert post.title == "Week 2 release announcement and changelog (26.12.4)"
    assert engineer.post(f"/builds/{draft.pk}/publish").json() == body  # twice: no change

    response = patch(engineer, f"/builds/{draft.pk}", {"intro": "Small week."})
    assert response.status_code == 200 and response.json()["notes_intro"] == "Small week."
    assert Post.objects.get(pk=post.pk).body.startswith("Small week.")
    response = patch(engineer, f"/builds/{draft.pk}", {"intro": "x" * 5001})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "intro"
    assert patch(api_as(alice), f"/builds/{draft.pk}", {"intro": "hi"}).status_code == 403


def test_change_lines_are_edited_by_engineers_only(week, api_as, maya, alice):
    build, _ = week
    change = build.changes.get(kind="fixed")
    response = patch(api_as(maya), f"/changes/{change.pk}", {"text": "No more crashes"})
    assert response.status_code == 200
    assert response.json()["text"] == "No more crashes" and response.json()["kind"] == "fixed"
    response = patch(api_as(maya), f"/changes/{change.pk}", {"kind": "improved"})
    assert response.json()["kind"] == "improved"
    assert "## Improved" in Post.objects.get(announced_build=build).body

    response = patch(api_as(maya), f"/changes/{change.pk}", {"kind": "better"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "kind"
    response = patch(api_as(maya), f"/changes/{change.pk}", {"text": " "})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "text"
    assert patch(api_as(alice), f"/changes/{change.pk}", {"text": "mine"}).status_code == 403
    assert patch(api_as(maya), "/changes/9999", {"text": "x"}).status_code == 404


def test_promote_roll_out_halt_and_resume(week, api_as, maya, alice):
    build, draft = week
    engineer = api_as(maya)

    response = engineer.post(f"/builds/{draft.pk}/promote")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "build"
    assert api_as(alice).post(f"/builds/{build.pk}/promote").status_code == 403

    stable = engineer.post(f"/builds/{build.pk}/promote").json()
    assert (stable["channel"], stable["version"], stable["rollout_percent"]) == (
        "stable",
        "26.11.27",
        0,
    )
    assert stable["promoted_from_id"] == build.pk and len(stable["changes"]) == 2
    path = f"/builds/{stable['id']}"

    assert engineer.put(f"{path}/rollout", {"percent": 10}).json()["rollout_percent"] == 10
    response = engineer.put(f"{path}/rollout", {"percent": 5})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "percent"
    response = engineer.put(f"{path}/rollout", {"percent": 150})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "percent"
    response = engineer.put(f"{path}/rollout", {"percent": "lots"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "percent"
    assert api_as(alice).put(f"{path}/rollout", {"percent": 50}).status_code == 403

    assert engineer.post(f"{path}/halt").json()["rollout_halted"] is True
    assert engineer.put(f"{path}/rollout", {"percent": 50}).status_code == 422
    assert engineer.post(f"{path}/resume").json()["rollout_halted"] is False
    assert engineer.put(f"{path}/rollout", {"percent": 100}).json()["rollout_percent"] == 100
    assert api_as(alice).post(f"{path}/halt").status_code == 403
    assert Build.objects.get(pk=stable["id"]).rollout_percent == 100
