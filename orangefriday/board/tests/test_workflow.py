"""Engineers move posts through the workflow with official responses; fans cannot."""

import pytest

from orangefriday.board.actions import add_comment, change_status, create_post
from orangefriday.board.models import Post, StatusChange
from orangefriday.core.events import dispatch
from orangefriday.notifications.models import Notification, OutboxEmail
from orangefriday.voting.actions import cast_vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def idea(alice, recorder):
    return create_post(author=alice, product=recorder, kind="idea", title="Mute while recording")


def test_an_engineer_moves_a_post_and_the_timeline_shows_the_official_response(
    logged_in, maya, idea
):
    client = logged_in(maya)
    response = client.post(
        f"/posts/{idea.pk}/status/", {"status": "planned", "note": "Coming in **two** weeks."}
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.status == "planned"
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "<strong>two</strong>" in page and 'data-testid="timeline"' in page


def test_shipping_stamps_the_time_and_moving_away_clears_it(maya, idea):
    change_status(by=maya, post=idea, status="shipped")
    dispatch()
    idea.refresh_from_db()
    assert idea.shipped_at is not None
    change_status(by=maya, post=idea, status="in_progress", note="Reverted: crashes on Android 12")
    dispatch()
    idea.refresh_from_db()
    assert idea.shipped_at is None and idea.status == "in_progress"


def test_a_fan_cannot_change_a_status(logged_in, bob, idea, api_as):
    assert (
        logged_in(bob).post(f"/posts/{idea.pk}/status/", {"status": "shipped"}).status_code == 403
    )
    response = api_as(bob).post(f"/posts/{idea.pk}/status", {"status": "shipped"})
    assert response.status_code == 403
    idea.refresh_from_db()
    assert idea.status == "open" and not StatusChange.objects.exists()


def test_an_engineer_of_another_product_cannot_either(camera, idea):
    from django.core.exceptions import PermissionDenied

    from orangefriday.conftest import make_fan

    lei = make_fan("lei", "engineer")
    camera.engineers.add(lei)
    with pytest.raises(PermissionDenied):
        change_status(by=lei, post=idea, status="declined")
        dispatch()


def test_no_change_without_a_note_is_refused_and_a_note_alone_is_a_response(logged_in, maya, idea):
    response = logged_in(maya).post(f"/posts/{idea.pk}/status/", {"status": "open"})
    assert response.status_code == 400
    assert response.context["status_form"].errors["note"]
    change_status(by=maya, post=idea, status="open", note="We read every comment here.")
    dispatch()
    assert StatusChange.objects.get().to_status == "open"


def test_duplicate_is_only_reached_by_merging(maya, idea, api_as):
    response = api_as(maya).post(f"/posts/{idea.pk}/status", {"status": "duplicate"})
    assert response.status_code == 422
    assert Post.objects.get(pk=idea.pk).status == "open"


def test_followers_are_told_but_not_the_engineer_who_acted(alice, bob, maya, idea):
    cast_vote(fan=bob, post_id=idea.pk)
    add_comment(author=maya, post=idea, body="Looking into it")  # maya follows too
    change_status(by=maya, post=idea, status="planned", note="Next sprint")
    dispatch()
    told = set(Notification.objects.filter(kind="status").values_list("fan__username", flat=True))
    assert told == {"alice", "bob"}
    emails = OutboxEmail.objects.filter(key__startswith="status:").order_by("fan__username")
    assert [e.fan.username for e in emails] == ["alice", "bob"]
    assert "planned" in emails[0].subject.lower() and "Next sprint" in emails[0].body


def test_the_api_changes_status_and_lists_the_timeline(maya, idea, api_as):
    response = api_as(maya).post(
        f"/posts/{idea.pk}/status", {"status": "under_review", "note": "Checking"}
    )
    assert response.status_code == 201 and response.json()["to_status"] == "under_review"
    timeline = api_as(None).get(f"/posts/{idea.pk}/timeline").json()
    assert [(t["from_status"], t["to_status"], t["by"]) for t in timeline] == [
        ("open", "under_review", "maya")
    ]
    bad = api_as(maya).post(f"/posts/{idea.pk}/status", {"status": "done"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "status"


def test_the_roadmap_shows_planned_in_progress_and_recently_shipped(client, alice, maya, recorder):
    posts = {
        name: create_post(author=alice, product=recorder, kind="idea", title=name)
        for name in ("Cloud upload", "Call-proof recording", "Auto-mute", "Still open")
    }
    change_status(by=maya, post=posts["Cloud upload"], status="planned")
    dispatch()
    change_status(by=maya, post=posts["Call-proof recording"], status="in_progress")
    dispatch()
    change_status(by=maya, post=posts["Auto-mute"], status="shipped")
    dispatch()
    page = client.get("/p/sound-recorder/roadmap/").content.decode()
    for name in ("Cloud upload", "Call-proof recording", "Auto-mute"):
        assert name in page
    assert "Still open" not in page
    api = client.get("/api/v1/products/sound-recorder/roadmap").json()
    assert [p["title"] for p in api["shipped"]] == ["Auto-mute"]
    assert [p["title"] for p in api["planned"]] == ["Cloud upload"]
