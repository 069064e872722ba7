"""The notifications API: a fan's own notifications and follows, nobody else's."""

import pytest

from orangefriday.board.actions import create_post
from orangefriday.notifications.models import Notification, Subscription
from orangefriday.voting.actions import cast_vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def idea(alice, recorder):
    return create_post(author=alice, product=recorder, kind="idea", title="Mute while recording")


def notify(fan, message: str, read: bool = False) -> Notification:
    from django.utils import timezone

    return Notification.objects.create(
        fan=fan, kind="status", message=message, url="/", read_at=timezone.now() if read else None
    )


def test_list_newest_first_with_the_unread_filter(api_as, alice, bob):
    old = notify(alice, "old", read=True)
    new = notify(alice, "new")
    notify(bob, "bob's")
    api = api_as(alice)

    everything = api.get("/notifications").json()
    assert [n["id"] for n in everything["items"]] == [new.pk, old.pk]
    assert everything["unread_count"] == 1 and everything["has_next"] is False
    assert everything["items"][0] | {"created_at": None} == {
        "id": new.pk,
        "kind": "status",
        "message": "new",
        "text": "",
        "url": "/",
        "post_id": None,
        "build_id": None,
        "created_at": None,
        "read": False,
        "read_at": None,
    }
    unread = api.get("/notifications", unread="true").json()
    assert [n["message"] for n in unread["items"]] == ["new"]


def test_pages(api_as, alice):
    Notification.objects.bulk_create(
        Notification(fan=alice, kind="status", message=f"n{i}", url="/") for i in range(21)
    )
    api = api_as(alice)
    first = api.get("/notifications", page=1).json()
    assert len(first["items"]) == 20 and first["has_next"] is True
    assert len(api.get("/notifications", page=2).json()["items"]) == 1
    bad = api.get("/notifications", page=0)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "page"


def test_mark_one_and_all_read(api_as, alice, bob):
    first, _second = notify(alice, "first"), notify(alice, "second")
    bobs = notify(bob, "bob's")
    api = api_as(alice)

    response = api.post(f"/notifications/{first.pk}/read")
    assert response.status_code == 200 and response.json()["read"] is True
    assert api.get("/notifications").json()["unread_count"] == 1
    assert api.post("/notifications/read-all").json() == {"marked": 1}
    assert api.get("/notifications").json()["unread_count"] == 0
    bobs.refresh_from_db()
    assert bobs.read_at is None


def test_a_fan_cannot_read_or_mark_another_fans_notification(api_as, alice, bob):
    alices = notify(alice, "private")
    response = api_as(bob).post(f"/notifications/{alices.pk}/read")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert all(n["id"] != alices.pk for n in api_as(bob).get("/notifications").json()["items"])
    alices.refresh_from_db()
    assert alices.read_at is None


def test_follow_and_unfollow(api_as, bob, idea):
    api = api_as(bob)
    assert api.put(f"/posts/{idea.pk}/subscription").json() == {
        "post_id": idea.pk,
        "following": True,
    }
    assert api.put(f"/posts/{idea.pk}/subscription").status_code == 200  # idempotent
    listed = api.get("/me/subscriptions").json()
    assert [(p["post_id"], p["title"], p["product"]) for p in listed["items"]] == [
        (idea.pk, "Mute while recording", "sound-recorder")
    ]

    assert api.delete(f"/posts/{idea.pk}/subscription").json()["following"] is False
    assert api.get("/me/subscriptions").json()["items"] == []
    cast_vote(fan=bob, post_id=idea.pk)  # the unfollow is remembered
    assert not Subscription.objects.get(fan=bob, post=idea).active


def test_following_a_missing_post_is_404(api_as, bob):
    assert api_as(bob).put("/posts/999999/subscription").status_code == 404


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/notifications"),
        ("POST", "/notifications/1/read"),
        ("POST", "/notifications/read-all"),
        ("PUT", "/posts/1/subscription"),
        ("DELETE", "/posts/1/subscription"),
        ("GET", "/me/subscriptions"),
    ],
)
def test_every_endpoint_needs_a_signed_in_fan(api_as, method, path):
    response = api_as(None).request(method, path)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_the_session_works_too_with_csrf(logged_in, alice):
    notify(alice, "hello")
    response = logged_in(alice).get("/api/v1/notifications")
    assert response.status_code == 200 and response.json()["unread_count"] == 1
