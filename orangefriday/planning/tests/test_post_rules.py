"""A claimed post belongs to its team's plan (issue 10, found while testing): only the team
ships it, through /ship or through the status route alike, and it is not merged away."""

import pytest

from orangefriday.accounts.models import Role
from orangefriday.board.models import Status
from orangefriday.conftest import make_fan
from orangefriday.planning.actions import claim_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def claimed(idea, maya, rockets):
    post = idea("Pause recording during calls")
    claim_post(by=maya, team=rockets, post=post)
    return post


@pytest.fixture
def outsider(recorder):
    """An engineer of the product who is not in team Rockets."""
    engineer = make_fan("wen", Role.ENGINEER)
    recorder.engineers.add(engineer)
    return engineer


def test_an_engineer_outside_the_team_cannot_ship_it_through_the_status_route(
    claimed, outsider, api_as, logged_in
):
    response = api_as(outsider).post(f"/posts/{claimed.pk}/status", {"status": "shipped"})
    assert response.status_code == 403
    assert response.json()["detail"] == "Only members of team Rockets ship its claims."
    assert api_as(outsider).post(f"/posts/{claimed.pk}/ship").status_code == 403
    page = logged_in(outsider).post(f"/posts/{claimed.pk}/status/", {"status": "shipped"})
    assert page.status_code == 403
    claimed.refresh_from_db()
    assert claimed.status == Status.IN_PROGRESS and claimed.shipped_at is None


def test_a_team_member_ships_it_through_the_status_route(claimed, lee, api_as):
    response = api_as(lee).post(f"/posts/{claimed.pk}/status", {"status": "shipped"})
    assert response.status_code == 201
    claimed.refresh_from_db()
    assert claimed.status == Status.SHIPPED


def test_an_outsider_may_still_answer_on_it_without_shipping(claimed, outsider, api_as):
    response = api_as(outsider).post(
        f"/posts/{claimed.pk}/status", {"status": "in_progress", "note": "Looks good"}
    )
    assert response.status_code == 201


def test_a_claimed_post_is_not_merged_away(claimed, idea, mo, api_as):
    original = idea("Pause during calls (older)")
    response = api_as(mo).post(f"/posts/{claimed.pk}/merge", {"original_id": original.pk})
    assert response.status_code == 422
    assert "release the claim first" in response.json()["detail"]
    # The other way round is fine: the claimed post is the original and gains the voters.
    assert (
        api_as(mo).post(f"/posts/{original.pk}/merge", {"original_id": claimed.pk}).status_code
        == 200
    )
