"""The planning API: teams, claims, shipping and the plan; fans get 403."""

import pytest

from orangefriday.board.models import Post
from orangefriday.planning.actions import claim_post
from orangefriday.planning.models import Claim, Team

pytestmark = pytest.mark.django_db


def patch(client, path, json):
    return client.request("PATCH", path, json)


def test_engineers_form_and_change_teams(api_as, maya, lee, recorder):
    api = api_as(maya)
    created = api.post(
        "/products/sound-recorder/teams",
        {"name": "Rockets", "members": ["maya", "lee"], "weekly_capacity": 2},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["slug"] == "rockets" and body["members"] == ["lee", "maya"]
    assert (body["weekly_capacity"], body["load"]) == (2, 0)
    assert body["url"] == "/p/sound-recorder/teams/rockets/"

    changed = patch(api, f"/teams/{body['id']}", {"weekly_capacity": 4})
    assert changed.status_code == 200 and changed.json()["weekly_capacity"] == 4
    listing = api_as(None).get("/products/sound-recorder/teams").json()
    assert [team["name"] for team in listing] == ["Rockets"]
    assert api_as(None).get(f"/teams/{body['id']}").json()["weekly_capacity"] == 4


@pytest.mark.parametrize(
    ("members", "message"),
    [
        (["maya"], "A team has 2 or 3 members, not 1."),
        (["maya", "lee", "alice", "bob"], "A team has 2 or 3 members, not 4."),
        (["maya", "alice"], "Not engineers of Sound Recorder: alice."),
        (["maya", "ghost"], "No fan named ghost."),
    ],
)
def test_bad_members_are_422_naming_the_field(api_as, maya, lee, alice, bob, members, message):
    response = api_as(maya).post(
        "/products/sound-recorder/teams", {"name": "Rockets", "members": members}
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == [{"field": "members", "message": message}]
    assert not Team.objects.exists()


def test_a_taken_slug_is_422(api_as, rockets, maya, lee):
    response = api_as(maya).post(
        "/products/sound-recorder/teams", {"name": "Rockets", "members": ["maya", "lee"]}
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "slug"


def test_claim_release_and_ship(api_as, rockets, maya, lee, idea):
    post, other = idea("Mute while recording", votes=12), idea("Cloud", votes=3)
    api = api_as(maya)

    created = api.post(f"/teams/{rockets.pk}/claims", {"post_id": post.pk, "engineer": "lee"})
    assert created.status_code == 201, created.content
    claim = created.json()
    assert (claim["team"], claim["engineer"], claim["post_status"]) == (
        "rockets",
        "lee",
        "in_progress",
    )
    assert claim["rolled_over"] is False and claim["shipped_at"] is None

    second = api.post(f"/teams/{rockets.pk}/claims", {"post_id": other.pk})
    assert api.delete(f"/claims/{second.json()['id']}").status_code == 204
    assert Post.objects.get(pk=other.pk).status == "planned"

    shipped = api_as(lee).post(f"/posts/{post.pk}/ship")
    assert shipped.status_code == 200
    assert shipped.json()["post_status"] == "shipped" and shipped.json()["shipped_at"]
    team = api.get(f"/teams/{rockets.pk}").json()
    assert team["load"] == 1 and [c["post_id"] for c in team["shipped_this_week"]] == [post.pk]


def test_state_refusals_are_409_and_input_refusals_422(api_as, rockets, maya, lee, idea, camera):
    rockets.weekly_capacity = 1
    rockets.save()
    first, second = idea("First"), idea("Second")
    api = api_as(maya)
    assert api.post(f"/teams/{rockets.pk}/claims", {"post_id": first.pk}).status_code == 201

    full = api.post(f"/teams/{rockets.pk}/claims", {"post_id": second.pk})
    assert full.status_code == 409
    assert full["Content-Type"] == "application/problem+json"
    assert full.json()["title"] == "Conflict"
    assert full.json()["errors"] == [
        {
            "field": "team",
            "message": "Team Rockets is at its weekly capacity: 1 of 1 slots are taken. "
            "Ship or release a claim first.",
        }
    ]
    again = api.post(f"/teams/{rockets.pk}/claims", {"post_id": first.pk})
    assert again.status_code == 409 and again.json()["errors"][0]["field"] == "post"

    foreign = idea("Camera idea", product=camera)
    wrong = api.post(f"/teams/{rockets.pk}/claims", {"post_id": foreign.pk})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "post"
    missing = api.post(f"/teams/{rockets.pk}/claims", {"post_id": 999999})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "post_id"
    stranger = api.post(f"/teams/{rockets.pk}/claims", {"post_id": second.pk, "engineer": "alice"})
    assert stranger.status_code == 422
    assert Claim.objects.count() == 1


def test_fans_calling_engineers_endpoints_get_403(api_as, rockets, maya, alice, idea):
    post, claimed = idea("Idea"), idea("Claimed")
    claim = claim_post(by=maya, team=rockets, post=claimed)
    fan = api_as(alice)
    calls = [
        fan.post("/products/sound-recorder/teams", {"name": "Fans", "members": ["alice", "bob"]}),
        patch(fan, f"/teams/{rockets.pk}", {"weekly_capacity": 20}),
        fan.post(f"/teams/{rockets.pk}/claims", {"post_id": post.pk}),
        fan.post(f"/teams/{rockets.pk}/claims", {"post_id": 999999}),  # 403 before 422
        fan.delete(f"/claims/{claim.pk}"),
        fan.post(f"/posts/{claimed.pk}/ship"),
        fan.post(f"/posts/{post.pk}/ship"),  # not even claimed: still 403, not 422
    ]
    assert [c.status_code for c in calls] == [403] * len(calls)
    assert all(c["Content-Type"] == "application/problem+json" for c in calls)
    assert api_as(None).post(f"/teams/{rockets.pk}/claims", {"post_id": post.pk}).status_code == 401
    rockets.refresh_from_db()
    assert rockets.weekly_capacity == 3 and Claim.objects.count() == 1


def test_the_plan(api_as, rockets, maya, idea):
    low, top, middle = idea("Low", votes=1), idea("Top", votes=50), idea("Middle", votes=10)
    claim_post(by=maya, team=rockets, post=top)

    plan = api_as(None).get("/products/sound-recorder/plan").json()

    assert plan["product"] == "sound-recorder" and plan["sort"] == "best"
    assert [p["id"] for p in plan["top"]] == [top.pk, middle.pk, low.pk]
    assert plan["top"][0]["claim"]["team"] == "rockets" and plan["top"][1]["claim"] is None
    assert plan["unclaimed"] == [middle.pk, low.pk]
    (team,) = plan["teams"]
    assert team["load"] == 1 and [c["post_id"] for c in team["in_progress"]] == [top.pk]
    assert api_as(None).get("/products/nope/plan").status_code == 404
