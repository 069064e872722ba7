"""Claiming, releasing and shipping posts, and what the post page shows."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from orangefriday.board.actions import change_status
from orangefriday.board.models import Post, StatusChange
from orangefriday.conftest import make_fan
from orangefriday.core.events import dispatch
from orangefriday.notifications.models import Notification
from orangefriday.planning.actions import (
    PlanConflict,
    claim_post,
    create_team,
    release_claim,
    ship_claimed_post,
    update_team,
)
from orangefriday.planning.models import Claim
from orangefriday.planning.queries import team_load

pytestmark = pytest.mark.django_db


def test_a_claim_sets_the_post_in_progress_and_the_post_page_shows_team_and_engineer(
    client, logged_in, rockets, maya, lee, alice, idea
):
    post = idea("Mute the phone while recording", votes=40)

    claim = claim_post(by=maya, team=rockets, post=post, engineer=lee)
    dispatch()

    post.refresh_from_db()
    assert post.status == "in_progress"
    assert (claim.team, claim.engineer, claim.post) == (rockets, lee, post)
    note = StatusChange.objects.get(post=post)
    assert note.to_status == "in_progress" and note.by == maya
    assert "Rockets" in note.note and "lee" in note.note
    # The author follows her post and hears about it.
    assert Notification.objects.filter(fan=alice, post=post).count() == 1

    page = client.get(post.get_absolute_url()).content.decode()
    assert 'data-testid="claim-team" translate="no">Rockets<' in page
    assert 'data-testid="claim-engineer" translate="no">lee<' in page
    assert "Mark shipped" not in page  # not for visitors
    assert "Mark shipped" not in logged_in(alice).get(post.get_absolute_url()).content.decode()
    assert "Mark shipped" in logged_in(lee).get(post.get_absolute_url()).content.decode()


def test_an_unclaimed_post_page_shows_no_claim(client, idea):
    post = idea("Cloud backup")
    page = client.get(post.get_absolute_url()).content.decode()
    assert 'data-testid="post-claim"' not in page


def test_over_capacity_is_refused_and_nothing_is_written(rockets, maya, lee, idea):
    update_team(by=maya, team=rockets, weekly_capacity=2)
    first, second, third = idea("One"), idea("Two"), idea("Three")
    claim_post(by=maya, team=rockets, post=first)
    dispatch()
    claim_post(by=lee, team=rockets, post=second)
    dispatch()
    before = (StatusChange.objects.count(), Notification.objects.count())

    with pytest.raises(PlanConflict) as refused:
        claim_post(by=maya, team=rockets, post=third)
        dispatch()

    assert refused.value.message_dict == {
        "team": [
            "Team Rockets is at its weekly capacity: 2 of 2 slots are taken. "
            "Ship or release a claim first."
        ]
    }
    third.refresh_from_db()
    assert third.status == "open"
    assert not Claim.objects.filter(post=third).exists()
    assert (StatusChange.objects.count(), Notification.objects.count()) == before


def test_shipping_keeps_the_slot_this_week_and_releasing_frees_it(rockets, maya, lee, idea):
    update_team(by=maya, team=rockets, weekly_capacity=2)
    shipped, released = idea("Shipped"), idea("Released")
    claim_post(by=maya, team=rockets, post=shipped)
    dispatch()
    claim = claim_post(by=lee, team=rockets, post=released)
    dispatch()

    ship_claimed_post(by=lee, post=shipped)
    release_claim(by=maya, claim=claim)

    shipped.refresh_from_db()
    released.refresh_from_db()
    assert shipped.status == "shipped" and shipped.shipped_at is not None
    assert released.status == "planned" and not Claim.objects.filter(post=released).exists()
    assert team_load(rockets, now=shipped.shipped_at) == 1
    # The released post is free for any team again.
    claim_post(by=maya, team=rockets, post=released)
    dispatch()
    assert team_load(rockets, now=shipped.shipped_at) == 2


@pytest.mark.parametrize("status", ["in_progress", "shipped", "declined"])
def test_only_open_under_review_or_planned_posts_are_claimed(rockets, maya, idea, status):
    post = idea("Stereo")
    change_status(by=maya, post=post, status=status)
    dispatch()
    with pytest.raises(PlanConflict) as refused:
        claim_post(by=maya, team=rockets, post=post)
        dispatch()
    assert "post" in refused.value.message_dict


def test_a_post_is_claimed_by_one_team(rockets, maya, lee, recorder, idea):
    kai = make_fan("kai", "engineer")
    recorder.engineers.add(kai)
    other = create_team(by=maya, product=recorder, name="Owls", members=[kai, lee])
    post = idea("Noise reduction")
    claim_post(by=maya, team=rockets, post=post)
    dispatch()
    change_status(by=maya, post=post, status="planned")  # moved back by hand, still claimed
    dispatch()

    with pytest.raises(PlanConflict, match="Team Rockets has already claimed this post"):
        claim_post(by=kai, team=other, post=post)
        dispatch()


def test_who_may_claim_and_for_whom(rockets, maya, lee, alice, mo, idea, camera):
    post = idea("Bookmarks")
    for outsider in (alice, mo):
        with pytest.raises(PermissionDenied):
            claim_post(by=outsider, team=rockets, post=post)
            dispatch()
    with pytest.raises(ValidationError) as wrong:
        claim_post(by=maya, team=rockets, post=post, engineer=alice)
        dispatch()
    assert "engineer" in wrong.value.message_dict
    elsewhere = idea("On the camera board", product=camera)
    with pytest.raises(ValidationError) as foreign:
        claim_post(by=maya, team=rockets, post=elsewhere)
        dispatch()
    assert "post" in foreign.value.message_dict
    assert Claim.objects.count() == 0


def test_only_the_claiming_team_ships_and_releases(rockets, maya, lee, recorder, idea):
    kai = make_fan("kai", "engineer")
    recorder.engineers.add(kai)
    post = idea("Transcripts")
    claim = claim_post(by=maya, team=rockets, post=post)
    dispatch()
    with pytest.raises(PermissionDenied):
        ship_claimed_post(by=kai, post=post)  # an engineer of the product, not of the team
    with pytest.raises(PermissionDenied):
        release_claim(by=kai, claim=claim)
    ship_claimed_post(by=lee, post=post)
    with pytest.raises(PlanConflict, match="already shipped"):
        ship_claimed_post(by=lee, post=post)
    with pytest.raises(PlanConflict, match="stays on record"):
        release_claim(by=maya, claim=claim)
    assert Post.objects.get(pk=post.pk).status == "shipped"


def test_shipping_needs_a_claim(maya, idea):
    with pytest.raises(ValidationError, match="No team has claimed this post"):
        ship_claimed_post(by=maya, post=idea("Unclaimed"))


def test_team_names_do_not_turn_into_markdown(maya, lee, recorder, idea):
    team = create_team(
        by=maya, product=recorder, name="*Bold* [x](http://e.vil)", members=[maya, lee]
    )
    post = idea("Widget")
    claim_post(by=maya, team=team, post=post)
    dispatch()
    html = StatusChange.objects.get(post=post).note_html
    assert "<strong>" not in html and "<em>" not in html and "href" not in html
    assert "*Bold* [x](http://e.vil)" in html
