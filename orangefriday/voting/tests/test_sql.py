"""Each statement of voting.sql, on whichever database the tests run (CI: both)."""

from datetime import timedelta

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


def test_set_counts_stores_the_counts_and_scores_and_moves_trending(idea):
    post = sql.locked_post(idea.pk)
    post.votes_count, post.readers_count, post.weighted_votes = 7, 9, 6.3
    scores = {"best_score": 0.4, "explore_priority": 0.6}
    sql.set_counts(post=post, hot_score=1.5, trending_delta=2, **scores)
    post.votes_count, post.weighted_readers = 6, 8.5
    post.burst_until = timezone.now()
    sql.set_counts(post=post, hot_score=1.25, trending_delta=-1, **scores)
    idea.refresh_from_db()
    assert (idea.votes_count, idea.hot_score, idea.trending_votes) == (6, 1.25, 1)
    assert (idea.readers_count, idea.weighted_votes, idea.weighted_readers) == (9, 6.3, 8.5)
    assert (idea.best_score, idea.explore_priority) == (0.4, 0.6)
    assert idea.burst_until == post.burst_until


def test_locked_post_reads_the_weighted_counts_and_the_typical_rate(idea, recorder):
    recorder.typical_rate, recorder.typical_strength = 0.07, 20.0
    recorder.save()
    Post.objects.filter(pk=idea.pk).update(weighted_votes=1.3, weighted_readers=4.6)
    post = sql.locked_post(idea.pk)
    assert (post.weighted_votes, post.weighted_readers, post.burst_until) == (1.3, 4.6, None)
    assert (post.product.typical.rate, post.product.typical.strength) == (0.07, 20.0)


def test_a_reader_is_inserted_once_with_her_weight(idea, bob):
    now = timezone.now()
    assert sql.insert_reader(post_id=idea.pk, fan_id=bob.pk, now=now, trust_level=0, weight=0.3)
    assert not sql.insert_reader(post_id=idea.pk, fan_id=bob.pk, now=now, trust_level=2, weight=1.0)
    assert sql.reader_weight(post_id=idea.pk, fan_id=bob.pk) == (0, 0.3)


def test_a_vote_makes_a_reader_once_and_weighs_what_her_reading_does(idea, bob, mo):
    now = timezone.now()
    first = sql.read_and_vote(post_id=idea.pk, fan_id=bob.pk, now=now, trust_level=0, weight=0.3)
    assert first == (True, 0, 0.3, True)
    again = sql.read_and_vote(post_id=idea.pk, fan_id=bob.pk, now=now, trust_level=2, weight=1.0)
    assert again == (False, 0, 0.3, False)
    # A reader who had not voted: her vote is hers as a reader, not what she is now.
    sql.insert_reader(post_id=idea.pk, fan_id=mo.pk, now=now, trust_level=1, weight=0.6)
    read = sql.read_and_vote(post_id=idea.pk, fan_id=mo.pk, now=now, trust_level=3, weight=1.0)
    assert read == (False, 1, 0.6, True)
    rows = Vote.objects.filter(post=idea).order_by("fan_id").values_list("fan_id", "weight")
    assert sorted(rows) == sorted([(bob.pk, 0.3), (mo.pk, 0.6)])


def test_votes_since_counts_untrusted_and_trusted_apart(idea, alice, bob, mo):
    now = timezone.now()
    hour_ago = now - timedelta(hours=1)
    sql.insert_vote(post_id=idea.pk, fan_id=alice.pk, now=now, trust_level=0, weight=0.3)
    sql.insert_vote(post_id=idea.pk, fan_id=bob.pk, now=hour_ago, trust_level=0, weight=0.3)
    sql.insert_vote(post_id=idea.pk, fan_id=mo.pk, now=now, trust_level=3, weight=1.0)
    assert sql.votes_since(post_id=idea.pk, since=hour_ago, trusted=False) == 1
    assert sql.votes_since(post_id=idea.pk, since=hour_ago, trusted=True) == 1


def test_silencing_weighs_the_untrusted_rows_since_then_zero(idea, alice, bob, mo):
    now = timezone.now()
    old = now - timedelta(hours=2)
    for fan, level, at in ((alice, 0, now), (bob, 0, old), (mo, 3, now)):
        weight = 1.0 if level else 0.3
        sql.insert_vote(post_id=idea.pk, fan_id=fan.pk, now=at, trust_level=level, weight=weight)
        sql.insert_reader(post_id=idea.pk, fan_id=fan.pk, now=at, trust_level=level, weight=weight)
    since = now - timedelta(hours=1)
    assert sql.silence_untrusted_since(post_id=idea.pk, since=since) == pytest.approx((1.3, 1.3))


def test_copy_votes_adds_only_the_missing_voters(idea, alice, bob, mo, recorder):
    other = create_post(author=bob, product=recorder, kind="idea", title="Mute calls")
    Vote.objects.bulk_create([Vote(post=other, fan=bob), Vote(post=other, fan=mo)])
    Vote.objects.create(post=idea, fan=bob)
    assert sql.copy_votes(from_post_id=other.pk, to_post_id=idea.pk) == 1  # mo
    assert set(Vote.objects.filter(post=idea).values_list("fan__username", flat=True)) == {
        "bob",
        "mo",
    }


def test_vote_states_read_the_current_counts_and_the_fans_own_marks(idea, alice, bob, recorder):
    other = create_post(author=alice, product=recorder, kind="idea", title="Show the battery")
    sql.insert_vote(post_id=idea.pk, fan_id=bob.pk, now=timezone.now())
    Post.objects.filter(pk=idea.pk).update(votes_count=7)
    stale = Post.objects.get(pk=idea.pk)
    Post.objects.filter(pk=idea.pk).update(votes_count=8)
    gone = Post(pk=idea.pk + other.pk + 1000)

    voted = sql.read_vote_states(fan_id=bob.pk, posts=[stale, other, gone])

    assert voted == {idea.pk: True, other.pk: False}  # nothing for a post that is not there
    assert stale.votes_count == 8 and stale.accepts_votes
    assert sql.read_vote_states(fan_id=alice.pk, posts=[stale]) == {idea.pk: False}
    assert sql.read_vote_states(fan_id=bob.pk, posts=[]) == {}
