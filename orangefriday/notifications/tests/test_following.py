"""Fans follow what they post, vote on and comment on, and can stop following."""

import pytest

from orangefriday.board.actions import add_comment, change_status, create_post
from orangefriday.notifications.models import Notification, Subscription
from orangefriday.voting.actions import cast_vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def idea(alice, recorder):
    return create_post(author=alice, product=recorder, kind="idea", title="Mute while recording")


def following(fan, post) -> bool:
    return Subscription.objects.filter(fan=fan, post=post, active=True).exists()


def test_posting_voting_and_commenting_follow_the_post(alice, bob, mo, idea):
    cast_vote(fan=bob, post_id=idea.pk)
    add_comment(author=mo, post=idea, body="Same here")
    assert following(alice, idea) and following(bob, idea) and following(mo, idea)


def test_an_explicit_unfollow_survives_a_later_vote_and_comment(logged_in, bob, maya, idea):
    logged_in(bob).post(f"/posts/{idea.pk}/follow/", {"following": "0"})
    cast_vote(fan=bob, post_id=idea.pk)
    add_comment(author=bob, post=idea, body="Still want it, just not the emails")
    assert not following(bob, idea)
    change_status(by=maya, post=idea, status="planned")
    assert not Notification.objects.filter(fan=bob).exists()


def test_the_post_page_shows_follow_and_unfollow_without_javascript(logged_in, bob, idea):
    client = logged_in(bob)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert 'data-testid="follow-button"' in page and ">Follow<" in page

    response = client.post(f"/posts/{idea.pk}/follow/", {"following": "1"})
    assert response.status_code == 302 and response["Location"] == idea.get_absolute_url()
    assert following(bob, idea)
    assert ">Unfollow<" in client.get(idea.get_absolute_url()).content.decode()

    client.post(f"/posts/{idea.pk}/follow/", {"following": "0"})
    assert not following(bob, idea)
    assert ">Follow<" in client.get(idea.get_absolute_url()).content.decode()


def test_htmx_gets_the_new_button_back(logged_in, bob, idea):
    response = logged_in(bob).post(
        f"/posts/{idea.pk}/follow/", {"following": "1"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<div class="follow" id="follow-{idea.pk}">')
    assert ">Unfollow<" in html and 'hx-post="' in html and "<html" not in html


def test_visitors_are_asked_to_log_in_and_cannot_follow(client, idea):
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "to follow this post" in page and 'data-testid="follow-button"' not in page
    response = client.post(f"/posts/{idea.pk}/follow/", {"following": "1"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Subscription.objects.filter(post=idea).count() == 1  # only the author's


def test_following_a_missing_post_is_404(logged_in, bob):
    assert logged_in(bob).post("/posts/999999/follow/", {"following": "1"}).status_code == 404
