"""Merging a duplicate into its original."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from orangefriday.board.actions import add_comment, create_post
from orangefriday.board.models import PostMerge
from orangefriday.conftest import make_fan
from orangefriday.notifications.models import Subscription
from orangefriday.voting.actions import VoteRefused, cast_vote, merge_posts
from orangefriday.voting.models import Vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(alice, bob, recorder):
    original = create_post(
        author=alice, product=recorder, kind="idea", title="Mute while recording"
    )
    duplicate = create_post(author=bob, product=recorder, kind="idea", title="Silence the phone")
    return original, duplicate


def test_the_original_gets_the_union_of_voters(mo, pair):
    original, duplicate = pair
    carol, dave = make_fan("carol"), make_fan("dave")
    for fan in (carol, dave):
        cast_vote(fan=fan, post_id=original.pk)
    for fan in (dave, make_fan("erin"), make_fan("frank")):
        cast_vote(fan=fan, post_id=duplicate.pk)

    merge = merge_posts(by=mo, duplicate=duplicate, original=original)

    original.refresh_from_db()
    assert original.votes_count == 4 == Vote.objects.filter(post=original).count()
    assert merge.votes_moved == 2  # dave voted on both and counts once
    assert PostMerge.objects.get().by == mo


def test_the_duplicate_links_to_the_original_and_takes_no_more_votes(client, maya, pair):
    original, duplicate = pair
    merge_posts(by=maya, duplicate=duplicate, original=original)
    duplicate.refresh_from_db()
    assert duplicate.status == "duplicate" and duplicate.merged_into == original
    with pytest.raises(VoteRefused):
        cast_vote(fan=make_fan("late"), post_id=duplicate.pk)
    # The duplicate's link leads to its original.
    response = client.get(duplicate.get_absolute_url())
    assert response.status_code == 302 and response["Location"] == original.get_absolute_url()


def test_followers_and_comments_move_along(client, maya, pair):
    original, duplicate = pair
    commenter = make_fan("commenter")
    add_comment(author=commenter, post=duplicate, body="This happens in every interview")
    merge_posts(by=maya, duplicate=duplicate, original=original)
    assert Subscription.objects.filter(post=original, fan=commenter, active=True).exists()
    page = client.get(original.get_absolute_url()).content.decode()
    assert "This happens in every interview" in page and "from a merged duplicate" in page


def test_a_fan_cannot_merge_and_bad_merges_are_refused(bob, maya, pair, camera, alice):
    original, duplicate = pair
    with pytest.raises(PermissionDenied):
        merge_posts(by=bob, duplicate=duplicate, original=original)
    with pytest.raises(ValidationError):
        merge_posts(by=maya, duplicate=original, original=original)
    elsewhere = create_post(author=alice, product=camera, kind="idea", title="Night mode")
    with pytest.raises(ValidationError):
        merge_posts(by=maya, duplicate=duplicate, original=elsewhere)
    merge_posts(by=maya, duplicate=duplicate, original=original)
    with pytest.raises(ValidationError):
        merge_posts(by=maya, duplicate=duplicate, original=original)
    assert PostMerge.objects.count() == 1


def test_merging_from_the_page_and_the_api(logged_in, api_as, maya, bob, pair):
    original, duplicate = pair
    page = logged_in(maya).post(
        f"/posts/{duplicate.pk}/merge/", {"original": f"/posts/{original.pk}/"}
    )
    assert page.status_code == 302 and page.url == original.get_absolute_url()
    third = create_post(author=bob, product=original.product, kind="idea", title="Mute please")
    assert (
        api_as(bob).post(f"/posts/{third.pk}/merge", {"original_id": original.pk}).status_code
        == 403
    )
    missing = api_as(maya).post(f"/posts/{third.pk}/merge", {"original_id": 999})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "original_id"
    done = api_as(maya).post(f"/posts/{third.pk}/merge", {"original_id": original.pk})
    assert done.status_code == 200 and done.json()["original_id"] == original.pk
