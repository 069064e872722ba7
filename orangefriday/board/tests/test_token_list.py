"""The API's list of posts for bearer tokens, kept rendered for BOARD_CACHE_SECONDS (board.api):
each fan sees their own votes, and their own writes at once, never another fan's state."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orangefriday.accounts.actions import revoke_api_token
from orangefriday.accounts.models import ApiToken
from orangefriday.board.actions import create_post
from orangefriday.voting.actions import cast_vote

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def kept(settings):
    settings.BOARD_CACHE_SECONDS = 60  # long enough that only a fan's own write renews it


@pytest.fixture
def ideas(alice, recorder):
    return [
        create_post(author=alice, product=recorder, kind="idea", title=f"Idea {n}")
        for n in range(3)
    ]


def listed(api, recorder, **params) -> dict[int, dict]:
    response = api.get("/posts", product=recorder.slug, **params)
    assert response.status_code == 200
    return {item["id"]: item for item in response.json()["items"]}


def test_a_fans_vote_with_a_token_shows_at_once_in_their_list(alice, bob, recorder, ideas, api_as):
    bobs, alices = api_as(bob), api_as(alice)
    idea = ideas[1]
    before = listed(bobs, recorder)[idea.pk]
    assert listed(alices, recorder)[idea.pk]["voted"] is False
    assert bobs.put(f"/posts/{idea.pk}/vote").status_code == 200
    after = listed(bobs, recorder)[idea.pk]
    assert after["voted"] is True and after["votes_count"] == before["votes_count"] + 1
    assert listed(alices, recorder)[idea.pk]["voted"] is False  # bob's vote, not hers
    assert bobs.request("DELETE", f"/posts/{idea.pk}/vote").status_code == 200
    withdrawn = listed(bobs, recorder)[idea.pk]
    assert withdrawn["voted"] is False and withdrawn["votes_count"] == before["votes_count"]


def test_each_token_sees_its_own_votes_in_the_same_kept_list(alice, bob, recorder, ideas, api_as):
    cast_vote(fan=alice, post_id=ideas[0].pk)
    alices, bobs = api_as(alice), api_as(bob)
    assert listed(bobs, recorder)[ideas[0].pk]["voted"] is False
    assert listed(alices, recorder)[ideas[0].pk]["voted"] is True
    assert listed(bobs, recorder)[ideas[0].pk]["voted"] is False


def test_a_post_made_with_a_token_is_listed_at_once(bob, recorder, ideas, api_as):
    bobs = api_as(bob)
    assert len(listed(bobs, recorder, sort="new")) == 3
    made = bobs.post("/posts", {"product": recorder.slug, "title": "Record in stereo"})
    assert made.status_code == 201
    newest = next(iter(listed(bobs, recorder, sort="new").values()))
    assert newest["id"] == made.json()["id"] and newest["title"] == "Record in stereo"


def test_another_fans_list_is_kept_not_rendered_again(alice, bob, recorder, ideas, api_as):
    alices, bobs = api_as(alice), api_as(bob)
    with CaptureQueriesContext(connection) as first:
        listed(alices, recorder)
    with CaptureQueriesContext(connection) as second:
        listed(bobs, recorder)

    # The second fan's call reads only their marks (voting's loader, by the posts' ids),
    # never the ranked board again.
    def ranked(captured: CaptureQueriesContext) -> list[str]:
        return [q["sql"] for q in captured.captured_queries if "ORDER BY" in q["sql"]]

    assert any("board_post" in sql for sql in ranked(first))
    assert not any("board_post" in sql for sql in ranked(second))


def test_a_revoked_token_is_refused_at_once_though_the_list_is_kept(bob, recorder, ideas, api_as):
    bobs = api_as(bob)
    listed(bobs, recorder)
    token = ApiToken.objects.get(user=bob)
    revoke_api_token(user=bob, token_id=token.pk)
    refused = bobs.get("/posts", product=recorder.slug)
    assert refused.status_code == 401 and refused["Content-Type"] == "application/problem+json"
