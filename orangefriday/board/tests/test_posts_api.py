"""The posts API: the ranked list, posting, and errors that name the field."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from orangefriday.board.actions import create_post
from orangefriday.board.models import Post, Tag
from orangefriday.voting.actions import cast_vote, expire_trending_votes

pytestmark = pytest.mark.django_db


def field_errors(response) -> dict[str, str]:
    body = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert body["status"] == response.status_code and body["detail"]
    return {e["field"]: e["message"] for e in body.get("errors", [])}


def test_a_fan_posts_through_the_api(api_as, alice, recorder):
    response = api_as(alice).post(
        "/posts",
        {
            "product": "sound-recorder",
            "kind": "bug",
            "title": "Calls interrupt recordings",
            "body": "Steps:\n\n1. record\n2. get a call",
            "category": "recording",
            "tags": ["calls"],
            "build_version": "26.11.20",
            "device": "Redmi Note 13",
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body["author"] == "alice" and body["status"] == "open" and body["voted"] is False
    assert body["category"] == "recording" and body["tags"] == ["calls"]
    assert "<ol>" in body["body_html"]
    assert Post.objects.get(pk=body["id"]).device == "Redmi Note 13"


@pytest.mark.parametrize(
    ("payload", "field", "status"),
    [
        ({"product": "sound-recorder", "title": ""}, "title", 422),
        ({"product": "sound-recorder", "title": "   "}, "title", 422),
        ({"product": "no-such-thing", "title": "Hello"}, "product", 422),
        ({"product": "sound-recorder", "title": "Hi", "body": "x" * 100_000}, "body", 422),
        ({"product": "sound-recorder", "title": "Hi", "kind": "rant"}, "kind", 422),
        ({"product": "sound-recorder", "title": "Hi", "category": "nope"}, "category", 422),
        ({"product": "sound-recorder", "title": "Hi", "tags": ["x" * 41]}, "tags", 422),
        ({"title": "Hi"}, "product", 422),
    ],
)
def test_bad_posts_get_a_problem_naming_the_field_and_store_nothing(
    api_as, alice, recorder, payload, field, status
):
    response = api_as(alice).post("/posts", payload)
    assert response.status_code == status
    assert field in field_errors(response)
    assert Post.objects.count() == 0 and Tag.objects.count() == 0


def test_malformed_json_and_huge_bodies_are_refused_cleanly(api_as, alice, recorder):
    client = api_as(alice)
    bad = client.client.post(
        "/api/v1/posts", b"{not json", content_type="application/json", headers=client.headers
    )
    assert bad.status_code in (400, 422) and bad.json()["detail"]
    huge = client.client.post(
        "/api/v1/posts",
        b'{"product": "sound-recorder", "title": "x", "body": "' + b"x" * 2_000_000 + b'"}',
        content_type="application/json",
        headers=client.headers,
    )
    assert huge.status_code == 413
    assert Post.objects.count() == 0


def test_writing_needs_authentication(api_as, recorder):
    response = api_as(None).post("/posts", {"product": "sound-recorder", "title": "Hi"})
    assert response.status_code == 401 and response.json()["detail"]


def test_the_session_works_for_the_api_but_only_with_the_csrf_token(alice, recorder):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    payload = {"product": "sound-recorder", "title": "From the browser"}
    refused = client.post("/api/v1/posts", payload, content_type="application/json")
    assert refused.status_code == 403
    client.get("/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        "/api/v1/posts", payload, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert accepted.status_code == 201


@pytest.fixture
def board(alice, bob, recorder, camera):
    """Four posts whose hot / top / trending / new orders all differ."""
    from orangefriday.conftest import make_fan

    fans = [alice, bob] + [make_fan(f"fan{i}") for i in range(4)]
    base = dt.datetime(2026, 10, 1, 12, tzinfo=dt.UTC)

    def post_at(days: float, title: str, kind: str = "idea", product=recorder) -> Post:
        with time_machine.travel(base + dt.timedelta(days=days), tick=False):
            return create_post(author=alice, product=product, kind=kind, title=title)

    posts = {
        "classic": post_at(0, "Classic: upload recordings to the cloud"),
        "rising": post_at(20, "Rising: mute while recording", kind="bug"),
        "fresh": post_at(30, "Fresh: trim silence"),
        "newest": post_at(30 + 2 / 24, "Newest: no votes yet", kind="discussion"),
        "camera": post_at(25, "Camera night mode", product=camera),
    }

    def votes(post: Post, count: int, day: int) -> None:
        with time_machine.travel(base + dt.timedelta(days=day), tick=False):
            for fan in fans[:count]:
                cast_vote(fan=fan, post_id=post.pk)

    votes(posts["classic"], 6, 1)  # many votes, long ago
    votes(posts["rising"], 3, 29)  # recent votes
    votes(posts["fresh"], 2, 30)  # 2 votes outweigh the 2 hours by which "newest" is younger
    return posts


def titles(response) -> list[str]:
    return [item["title"].split(":")[0] for item in response.json()["items"]]


def test_the_four_sorts_order_the_board_differently(api_as, board):
    now = dt.datetime(2026, 11, 1, 12, tzinfo=dt.UTC)
    client = api_as(None)
    with time_machine.travel(now, tick=False):
        # The scheduler moves the trending window each minute; here the test moves it.
        expire_trending_votes(now=now)
        top = titles(client.get("/posts", product="sound-recorder", sort="top"))
        hot = titles(client.get("/posts", product="sound-recorder", sort="hot"))
        new = titles(client.get("/posts", product="sound-recorder", sort="new"))
        trending = titles(client.get("/posts", product="sound-recorder", sort="trending"))
    assert top == ["Classic", "Rising", "Fresh", "Newest"]
    assert new == ["Newest", "Fresh", "Rising", "Classic"]
    assert hot == ["Fresh", "Newest", "Rising", "Classic"]
    assert trending == ["Rising", "Fresh", "Classic", "Newest"]  # classic's votes are too old


def test_filters_narrow_the_board(api_as, board):
    client = api_as(None)
    assert titles(client.get("/posts", product="sound-recorder", kind="bug")) == ["Rising"]
    assert titles(client.get("/posts", product="sound-recorder", status="shipped")) == []
    assert titles(client.get("/posts", product="sound-recorder", q="silence")) == ["Fresh"]
    everything = client.get("/posts", sort="top").json()["items"]
    assert {item["product"] for item in everything} == {"sound-recorder", "camera"}


def test_bad_filters_name_the_parameter(api_as, board):
    client = api_as(None)
    assert "sort" in field_errors(client.get("/posts", sort="wilson"))
    assert "page" in field_errors(client.get("/posts", page="0"))
    assert client.get("/posts", product="nope").status_code == 404
    assert "category" in field_errors(client.get("/posts", product="camera", category="x"))


def test_pages_of_twenty(api_as, alice, recorder):
    for i in range(25):
        create_post(author=alice, product=recorder, kind="idea", title=f"Idea {i}")
    client = api_as(None)
    first = client.get("/posts", product="sound-recorder", sort="new").json()
    second = client.get("/posts", product="sound-recorder", sort="new", page=2).json()
    assert (len(first["items"]), first["has_next"]) == (20, True)
    assert (len(second["items"]), second["has_next"]) == (5, False)
    assert {i["id"] for i in first["items"]}.isdisjoint({i["id"] for i in second["items"]})


def test_one_post_says_whether_you_voted(api_as, alice, bob, board):
    rising = board["rising"]
    assert api_as(bob).get(f"/posts/{rising.pk}").json()["voted"] is True
    assert api_as(None).get(f"/posts/{rising.pk}").json()["voted"] is None
    assert api_as(None).get("/posts/99999").status_code == 404


def test_the_board_pages_show_the_sorts(client, board):
    for sort in ("hot", "top", "trending", "new"):
        page = client.get("/p/sound-recorder/", {"sort": sort})
        assert page.status_code == 200
        assert f'sort={sort}" aria-current="page"' in page.content.decode()
    assert client.get("/p/sound-recorder/", {"sort": "bogus", "page": "x"}).status_code == 200
    assert client.get("/p/nope/").status_code == 404


def test_the_about_ranking_page_explains_the_formulas(client):
    page = client.get("/about/ranking/").content.decode()
    assert "ten times the votes" in page and "last 7 days" in page


def test_the_api_describes_itself(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/posts/{post_id}/vote" in schema["paths"]
    assert client.get("/api/v1/docs").status_code == 200
