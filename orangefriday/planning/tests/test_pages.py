"""The planning board, the team pages and their forms, as engineers and fans use them."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from orangefriday.board.models import Post
from orangefriday.conftest import make_fan
from orangefriday.planning.actions import (
    claim_post,
    create_team,
    ship_claimed_post,
    update_team,
)
from orangefriday.planning.models import Claim, Team

pytestmark = pytest.mark.django_db


def rows(page: str) -> list[tuple[str, str]]:
    """(post id, claimed yes/no) of each row of the planning board, in order."""
    return re.findall(r'data-post-id="(\d+)" data-claimed="(yes|no)"', page)


def test_the_planning_board_ranks_open_posts_and_highlights_the_unclaimed(
    client, rockets, maya, idea
):
    low, top, middle = idea("Low", votes=1), idea("Top", votes=50), idea("Middle", votes=10)
    claim_post(by=maya, team=rockets, post=top)

    page = client.get("/p/sound-recorder/plan/").content.decode()

    assert rows(page) == [(str(top.pk), "yes"), (str(middle.pk), "no"), (str(low.pk), "no")]
    assert page.count('class="plan-row unclaimed"') == 2
    assert page.count('<span class="badge unclaimed">Unclaimed</span>') == 2
    assert re.search(r'data-testid="unclaimed-count"><strong>2</strong> of the top 3', page)
    team_column = page[page.index('data-testid="team-rockets"') :]
    assert "lee, maya" in team_column and 'data-testid="load">1 / 3<' in team_column
    assert "Claim for" not in page  # visitors see the plan, not the buttons


def test_the_planning_board_follows_the_products_planning_sort(client, recorder, idea):
    older, newer = idea("Older, more votes", votes=9), idea("Newer, fewer votes", votes=1)
    Post.objects.filter(pk=newer.pk).update(trending_votes=5)
    recorder.planning_sort = "trending"
    recorder.save()
    page = client.get("/p/sound-recorder/plan/").content.decode()
    assert [post_id for post_id, _ in rows(page)] == [str(newer.pk), str(older.pk)]


def test_an_engineer_claims_from_the_board(logged_in, rockets, lee, idea):
    post = idea("Pause and resume", votes=3)
    client = logged_in(lee)
    page = client.get("/p/sound-recorder/plan/").content.decode()
    # The team's name is its own, in no page language (a browser does not translate it).
    assert 'Claim for <span translate="no">Rockets</span>' in page

    response = client.post("/p/sound-recorder/plan/claim/", {"post": post.pk, "team": rockets.pk})

    assert response.status_code == 302 and response.url.endswith(f"/plan/#post-{post.pk}")
    claim = Claim.objects.get(post=post)
    assert (claim.team, claim.engineer) == (rockets, lee)
    page = client.get(response.url).content.decode()
    assert rows(page) == [(str(post.pk), "yes")]
    assert "Team Rockets claimed" in page  # the message


def test_a_full_team_is_refused_on_the_page_with_the_reason(logged_in, rockets, maya, idea):
    update_team(by=maya, team=rockets, weekly_capacity=1)
    claim_post(by=maya, team=rockets, post=idea("First"))
    second = idea("Second")
    client = logged_in(maya)
    plan = client.get("/p/sound-recorder/plan/").content.decode()
    assert '<span translate="no">Rockets</span> is full (1/1)' in plan

    response = client.post("/p/sound-recorder/plan/claim/", {"post": second.pk, "team": rockets.pk})

    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="claim-errors"' in page
    assert "Team Rockets is at its weekly capacity: 1 of 1 slots are taken." in page
    assert not Claim.objects.filter(post=second).exists()
    second.refresh_from_db()
    assert second.status == "open"


def test_fans_cannot_claim_ship_release_or_form_teams(
    logged_in, client, rockets, maya, alice, idea
):
    post, claimed = idea("Mine"), idea("Claimed")
    claim = claim_post(by=maya, team=rockets, post=claimed)
    fan = logged_in(alice)
    assert (
        fan.post("/p/sound-recorder/plan/claim/", {"post": post.pk, "team": rockets.pk}).status_code
        == 403
    )
    assert fan.post(f"/posts/{claimed.pk}/ship/").status_code == 403
    assert fan.post(f"/claims/{claim.pk}/release/").status_code == 403
    assert (
        fan.post("/p/sound-recorder/teams/", {"name": "Fans", "weekly_capacity": 3}).status_code
        == 403
    )
    assert (
        fan.post(
            "/p/sound-recorder/teams/rockets/", {"members": [alice.pk], "weekly_capacity": 9}
        ).status_code
        == 403
    )
    anonymous = client.post("/p/sound-recorder/plan/claim/", {"post": post.pk, "team": rockets.pk})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url
    assert Claim.objects.count() == 1 and Team.objects.count() == 1
    claimed.refresh_from_db()
    assert claimed.status == "in_progress"
    assert Team.objects.get().weekly_capacity == 3


def test_mark_shipped_from_the_post_page(logged_in, rockets, maya, lee, idea):
    post = idea("Bluetooth microphones")
    claim_post(by=maya, team=rockets, post=post)
    client = logged_in(lee)

    response = client.post(f"/posts/{post.pk}/ship/", {"next": post.get_absolute_url()})

    assert response.status_code == 302 and response.url == post.get_absolute_url()
    post.refresh_from_db()
    assert post.status == "shipped"
    page = client.get(post.get_absolute_url()).content.decode()
    assert "the next developer build carries it" in page and "Mark shipped" not in page
    # A second click explains instead of failing.
    client.post(f"/posts/{post.pk}/ship/")
    assert "already shipped" in client.get(post.get_absolute_url()).content.decode()


def test_release_from_the_team_page_goes_back_there(logged_in, rockets, maya, idea):
    post = idea("Trim recordings")
    claim = claim_post(by=maya, team=rockets, post=post)
    client = logged_in(maya)
    page = client.get("/p/sound-recorder/teams/rockets/").content.decode()
    assert f'data-testid="release-{post.pk}"' in page

    response = client.post(
        f"/claims/{claim.pk}/release/", {"next": "/p/sound-recorder/teams/rockets/"}
    )

    assert response.url == "/p/sound-recorder/teams/rockets/"
    post.refresh_from_db()
    assert post.status == "planned" and not Claim.objects.exists()


def test_next_never_leaves_the_site(logged_in, rockets, maya, idea):
    post = idea("Markers")
    claim_post(by=maya, team=rockets, post=post)
    response = logged_in(maya).post(f"/posts/{post.pk}/ship/", {"next": "https://evil.example/"})
    assert response.url == post.get_absolute_url()


def test_an_engineer_forms_a_team_on_the_teams_page(logged_in, maya, lee, recorder):
    client = logged_in(maya)
    page = client.get("/p/sound-recorder/teams/").content.decode()
    assert "Form a team" in page

    response = client.post(
        "/p/sound-recorder/teams/",
        {"name": "Night Owls", "members": [maya.pk, lee.pk], "weekly_capacity": 4},
    )

    team = Team.objects.get()
    assert response.status_code == 302 and response.url == "/p/sound-recorder/teams/night-owls/"
    assert (team.slug, team.weekly_capacity) == ("night-owls", 4)
    assert set(team.members.all()) == {maya, lee}
    listing = client.get("/p/sound-recorder/teams/").content.decode()
    assert "Night Owls" in listing and "0 / 4" in listing


def test_a_team_of_one_is_refused_on_the_page(logged_in, maya, lee):
    response = logged_in(maya).post(
        "/p/sound-recorder/teams/", {"name": "Solo", "members": [maya.pk], "weekly_capacity": 3}
    )
    assert response.status_code == 400
    assert "A team has 2 or 3 members, not 1." in response.content.decode()
    assert not Team.objects.exists()


def test_the_team_page_shows_members_current_claims_and_shipped_history(
    client, logged_in, rockets, maya, lee, idea
):
    building, shipped = idea("Building"), idea("Shipped")
    claim_post(by=maya, team=rockets, post=building)
    claim_post(by=lee, team=rockets, post=shipped)
    ship_claimed_post(by=lee, post=shipped)

    page = client.get("/p/sound-recorder/teams/rockets/").content.decode()

    current = page[page.index('data-testid="current"') : page.index('data-testid="history"')]
    history = page[page.index('data-testid="history"') :]
    assert "Building" in current and "Shipped" in current  # shipped this week still counts
    assert "Shipped" in history and "Building" not in history
    assert 'data-testid="load">2 / 3<' in page
    assert "Mark shipped" not in page and "Members and capacity" not in page

    edit = logged_in(maya).post(
        "/p/sound-recorder/teams/rockets/", {"members": [maya.pk, lee.pk], "weekly_capacity": 5}
    )
    assert edit.status_code == 302
    rockets.refresh_from_db()
    assert rockets.weekly_capacity == 5


def test_pages_send_no_inline_styles_or_scripts(client, logged_in, rockets, maya, idea):
    claim_post(by=maya, team=rockets, post=idea("Anything"))
    for url in (
        "/p/sound-recorder/plan/",
        "/p/sound-recorder/teams/",
        "/p/sound-recorder/teams/rockets/",
    ):
        page = logged_in(maya).get(url).content.decode()
        assert "style=" not in page and "<script>" not in page and "onclick" not in page
        assert "{#" not in page and "{%" not in page  # no template syntax leaks through
        assert "/static/planning/planning.css" in page


def test_unknown_products_and_teams_are_404(client, rockets):
    assert client.get("/p/nope/plan/").status_code == 404
    assert client.get("/p/sound-recorder/teams/nope/").status_code == 404


def test_the_planning_board_costs_the_same_queries_however_much_is_planned(
    client, rockets, maya, lee, recorder, idea
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/p/sound-recorder/plan/").status_code == 200
        return len(captured)

    claim_post(by=maya, team=rockets, post=idea("First"))
    idea("Open")
    few = queries()

    kai, ana = make_fan("kai", "engineer"), make_fan("ana", "engineer")
    recorder.engineers.add(kai, ana)
    owls = create_team(by=maya, product=recorder, name="Owls", members=[kai, ana])
    for i in range(3):
        claim_post(by=kai, team=owls, post=idea(f"Owl {i}"))
        idea(f"Open {i}")
    claim_post(by=lee, team=rockets, post=idea("Second"))
    ship_claimed_post(by=kai, post=Post.objects.get(title="Owl 0"))

    assert queries() == few


def test_the_admin_forms_teams_by_the_same_rules(maya, lee, recorder):
    root = make_fan("root", "admin")
    root.is_staff = root.is_superuser = True
    root.save()
    admin = Client()
    admin.force_login(root)
    assert admin.get("/admin/planning/team/add/").status_code == 200
    form = {
        "product": recorder.pk,
        "name": "Solo",
        "slug": "solo",
        "weekly_capacity": 3,
        "created_at_0": "2026-11-23",
        "created_at_1": "10:00:00",
        "claims-TOTAL_FORMS": 0,
        "claims-INITIAL_FORMS": 0,
    }

    alone = admin.post("/admin/planning/team/add/", {**form, "members": [maya.pk]})
    assert alone.status_code == 200
    assert "A team has 2 or 3 members, not 1." in alone.content.decode()
    assert not Team.objects.exists()

    pair = admin.post("/admin/planning/team/add/", {**form, "members": [maya.pk, lee.pk]})
    assert pair.status_code == 302 and Team.objects.get().slug == "solo"
    assert admin.get("/admin/planning/claim/").status_code == 200
