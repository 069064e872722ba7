"""The "best" sort's stored scores: changed by a vote and a read flush in their own
transaction, refitted periodically, and the same as the simulation adapter's."""

import random
import time

import numpy as np
import pytest
from django.db.models import Sum
from django.utils import timezone

from orangefriday.accounts.models import TrustLevel, User
from orangefriday.board.actions import create_post
from orangefriday.board.models import Post, PostReader
from orangefriday.board.reads import flush_reads, record_read
from orangefriday.board.scoring import refit_product
from orangefriday.board.tasks import refit_rates
from orangefriday.core import schedule
from orangefriday.ranking import simulation
from orangefriday.ranking.best import DEFAULT_TYPICAL, best_score, explore_priority
from orangefriday.voting.actions import cast_vote, recount_votes
from orangefriday.voting.models import Vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def bob(bob):
    """Bob as a member (trust level 2): his votes and reads count fully."""
    bob.trust_level = TrustLevel.MEMBER
    bob.save(update_fields=["trust_level"])
    return bob


@pytest.fixture
def idea(alice, recorder) -> Post:
    return create_post(author=alice, product=recorder, kind="idea", title="Mute while recording")


def stored(post: Post) -> tuple[float, float]:
    post.refresh_from_db()
    return post.best_score, post.explore_priority


def test_the_stored_score_changes_within_a_second_of_a_vote(api_as, bob, idea):
    api = api_as(bob)
    # A first request warms the process up (URLs, schemas): the vote is what is timed.
    assert api.get(f"/posts/{idea.pk}").status_code == 200
    before = stored(idea)
    started = time.monotonic()
    assert api.put(f"/posts/{idea.pk}/vote").status_code == 200
    after = stored(idea)
    assert time.monotonic() - started < 1.0
    assert after[0] > before[0]
    # The GET made bob a reader (buffered); his vote made him one at once, counted once.
    assert after == (
        best_score(weighted_votes=1, weighted_readers=1, typical=DEFAULT_TYPICAL),
        explore_priority(weighted_votes=1, weighted_readers=1, typical=DEFAULT_TYPICAL),
    )


def test_a_read_flush_lowers_the_score_of_a_post_read_without_a_vote(bob, idea):
    cast_vote(fan=bob, post_id=idea.pk)
    voted = stored(idea)
    for n in range(5):
        reader = User.objects.create(username=f"reader{n}", trust_level=TrustLevel.MEMBER)
        record_read(post_id=idea.pk, fan_id=reader.pk)
    flush_reads()
    assert stored(idea)[0] < voted[0]
    assert stored(idea)[0] == best_score(
        weighted_votes=1, weighted_readers=6, typical=DEFAULT_TYPICAL
    )


@pytest.fixture
def history(recorder, alice):
    """40 posts of the recorder's board, each read by 5 to 60 of 60 fans, a share of whom
    voted, written in bulk as the demo does and counted by recount_votes."""
    rng = random.Random(5)
    fans = User.objects.bulk_create(
        [User(username=f"fan{n}", trust_level=TrustLevel.MEMBER) for n in range(60)]
    )
    posts = [
        create_post(author=alice, product=recorder, kind="idea", title=f"Idea {n}", limited=False)
        for n in range(40)
    ]
    votes, readers = [], []
    for post in posts:
        rate = rng.betavariate(0.6, 12) * 3
        for reader in rng.sample(fans, rng.randint(5, 60)):
            # Some rows weigh as a new account's would.
            weight = 0.3 if reader.pk % 7 == 0 else 1.0
            readers.append(PostReader(post=post, fan=reader, weight=weight))
            if rng.random() < rate:
                votes.append(Vote(post=post, fan=reader, weight=weight))
    PostReader.objects.bulk_create(readers)
    Vote.objects.bulk_create(votes)
    recount_votes(post_ids=[post.pk for post in posts])
    return posts


def test_the_refit_moves_the_typical_rate_and_rescores_every_post(history, recorder):
    typical = refit_product(recorder, now=timezone.now())
    assert typical != DEFAULT_TYPICAL
    recorder.refresh_from_db()
    assert (recorder.typical_rate, recorder.typical_strength) == (typical.rate, typical.strength)
    for post in Post.objects.filter(product=recorder):
        assert post.best_score == best_score(
            weighted_votes=post.weighted_votes,
            weighted_readers=post.weighted_readers,
            typical=typical,
        )


def test_the_simulation_adapter_and_the_stored_scores_agree_on_the_same_inputs(history, recorder):
    refit_product(recorder, now=timezone.now())
    # The inputs, from the rows themselves.
    votes = dict(Vote.objects.values("post").annotate(w=Sum("weight")).values_list("post", "w"))
    read = PostReader.objects.values("post").annotate(w=Sum("weight")).values_list("post", "w")
    readers = dict(read)
    ids = sorted(readers)
    weighted_votes = np.array([votes.get(pk, 0.0) for pk in ids])
    weighted_readers = np.array([readers[pk] for pk in ids])

    adapter = simulation.best(weighted_votes, weighted_readers)
    tries = simulation.explore(weighted_votes, weighted_readers)

    rows = Post.objects.in_bulk(ids)
    assert [rows[pk].best_score for pk in ids] == pytest.approx(adapter.tolist(), rel=1e-12)
    assert [rows[pk].explore_priority for pk in ids] == pytest.approx(tries.tolist(), rel=1e-12)


def test_the_scheduler_refits_every_hour_through_a_task(history, recorder):
    (job,) = [job for job in schedule.jobs() if job.name == "refit typical rates"]
    assert (job.run, job.every) == (refit_rates.enqueue, 3600)
    assert refit_rates.call() == 1
    recorder.refresh_from_db()
    assert recorder.typical_fitted_at is not None
    assert recorder.typical_rate != DEFAULT_TYPICAL.rate
