"""Voting: one vote per fan per post, withdrawing, and the stored scores."""

import datetime as dt

import pytest
import time_machine

from orangefriday.board.actions import create_post
from orangefriday.board.models import Post, Status
from orangefriday.ranking.scores import hot_score
from orangefriday.voting.actions import (
    VoteRefused,
    cast_vote,
    expire_trending_votes,
    withdraw_vote,
)
from orangefriday.voting.models import Vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def idea(alice, recorder):
    return create_post(author=alice, product=recorder, kind="idea", title="Mute while recording")


def test_voting_twice_is_one_vote(bob, idea):
    cast_vote(fan=bob, post_id=idea.pk)
    cast_vote(fan=bob, post_id=idea.pk)
    idea.refresh_from_db()
    assert idea.votes_count == 1 == Vote.objects.filter(post=idea).count()


def test_withdrawing_twice_is_harmless(bob, idea):
    cast_vote(fan=bob, post_id=idea.pk)
    withdraw_vote(fan=bob, post_id=idea.pk)
    withdraw_vote(fan=bob, post_id=idea.pk)
    idea.refresh_from_db()
    assert (idea.votes_count, idea.trending_votes) == (0, 0)
    assert not Vote.objects.exists()


def test_the_hot_score_follows_the_votes(alice, bob, idea):
    cast_vote(fan=alice, post_id=idea.pk)
    cast_vote(fan=bob, post_id=idea.pk)
    idea.refresh_from_db()
    assert idea.hot_score == hot_score(2, idea.created_at)


def test_a_merged_duplicate_takes_no_votes(bob, idea):
    Post.objects.filter(pk=idea.pk).update(status=Status.DUPLICATE)
    with pytest.raises(VoteRefused):
        cast_vote(fan=bob, post_id=idea.pk)
    assert not Vote.objects.exists()


def test_a_vote_on_a_missing_post_fails_cleanly(bob):
    with pytest.raises(Post.DoesNotExist):
        cast_vote(fan=bob, post_id=999)


def test_trending_counts_only_the_last_seven_days(alice, bob, idea):
    start = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        expire_trending_votes(now=start)
        cast_vote(fan=alice, post_id=idea.pk)
    with time_machine.travel(start + dt.timedelta(days=3), tick=False):
        cast_vote(fan=bob, post_id=idea.pk)

    week_later = start + dt.timedelta(days=7)
    assert expire_trending_votes(now=week_later - dt.timedelta(microseconds=1)) == 0
    idea.refresh_from_db()
    assert (idea.votes_count, idea.trending_votes) == (2, 2)

    # Seven days to the microsecond after it was cast, a vote stops counting.
    assert expire_trending_votes(now=week_later) == 1
    idea.refresh_from_db()
    assert (idea.votes_count, idea.trending_votes) == (2, 1)
    assert expire_trending_votes(now=week_later) == 0


def test_withdrawing_an_expired_vote_leaves_trending_alone(alice, bob, idea):
    start = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        expire_trending_votes(now=start)
        cast_vote(fan=alice, post_id=idea.pk)
    later = start + dt.timedelta(days=8)
    with time_machine.travel(later, tick=False):
        cast_vote(fan=bob, post_id=idea.pk)
        expire_trending_votes(now=later)
        withdraw_vote(fan=alice, post_id=idea.pk)
    idea.refresh_from_db()
    assert (idea.votes_count, idea.trending_votes) == (1, 1)


def test_the_vote_button_works_with_htmx_and_without_javascript(logged_in, bob, idea):
    client = logged_in(bob)
    fragment = client.post(f"/posts/{idea.pk}/vote/", {"action": "vote"}, HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert (
        'aria-pressed="true"' in html and '<span class="count" data-testid="vote-count">1<' in html
    )
    plain = client.post(
        f"/posts/{idea.pk}/vote/", {"action": "withdraw", "next": "/p/sound-recorder/"}
    )
    assert plain.status_code == 302 and plain.url == "/p/sound-recorder/"
    idea.refresh_from_db()
    assert idea.votes_count == 0


def test_voting_from_the_page_needs_a_login(client, idea):
    response = client.post(f"/posts/{idea.pk}/vote/", {"action": "vote"})
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert not Vote.objects.exists()


def test_a_redirect_after_voting_never_leaves_the_site(logged_in, bob, idea):
    response = logged_in(bob).post(
        f"/posts/{idea.pk}/vote/", {"action": "vote", "next": "https://evil.example/"}
    )
    assert response.url == idea.get_absolute_url()
