"""Each statement of voting.sql, on whichever database the tests run (CI: both)."""

import pytest
from django.utils import timezone

from orangefriday.board.actions import create_post
from orangefriday.board.models import Post
from orangefriday.voting import sql
from orangefriday.voting.models import Vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def idea(alice, recorder) -> Post:
    return create_post(author=alice, product=recorder, kind="idea", title="Mute while recording")


def test_locked_post_reads_the_counters_with_an_aware_time(idea):
    post = sql.locked_post(idea.pk)
    assert (post.pk, post.votes_count, post.status) == (idea.pk, 0, "open")
    assert post.created_at == idea.created_at and post.created_at.tzinfo is not None
    with pytest.raises(Post.DoesNotExist):
        sql.locked_post(idea.pk + 1000)


def test_a_vote_is_inserted_once(idea, bob):
    now = timezone.now()
    assert sql.insert_vote(post_id=idea.pk, fan_id=bob.pk, now=now) is True
    assert sql.insert_vote(post_id=idea.pk, fan_id=bob.pk, now=now) is False
    assert Vote.objects.filter(post=idea, fan=bob).count() == 1


def test_set_counts_stores_the_count_and_moves_trending(idea):
    sql.set_counts(post_id=idea.pk, votes=7, hot_score=1.5, trending_delta=2)
    sql.set_counts(post_id=idea.pk, votes=6, hot_score=1.25, trending_delta=-1)
    idea.refresh_from_db()
    assert (idea.votes_count, idea.hot_score, idea.trending_votes) == (6, 1.25, 1)


def test_copy_votes_adds_only_the_missing_voters(idea, alice, bob, mo, recorder):
    other = create_post(author=bob, product=recorder, kind="idea", title="Mute calls")
    Vote.objects.bulk_create([Vote(post=other, fan=bob), Vote(post=other, fan=mo)])
    Vote.objects.create(post=idea, fan=bob)
    assert sql.copy_votes(from_post_id=other.pk, to_post_id=idea.pk) == 1  # mo
    assert set(Vote.objects.filter(post=idea).values_list("fan__username", flat=True)) == {
        "bob",
        "mo",
    }
