"""Votes stay exact under real concurrency: threads with their own database connections.

The issue's figures: 100 fans x 3 concurrent votes on SQLite, 80 x 3 on PostgreSQL (whose
default of 100 connections caps the threads we can run at once).
"""

import random
from collections.abc import Callable
from functools import partial

import pytest
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from orangefriday.accounts.models import User
from orangefriday.board.actions import create_post
from orangefriday.board.models import Post, PostReader
from orangefriday.board.reads import flush_reads, record_read
from orangefriday.core.testing.concurrency import run_concurrently
from orangefriday.ranking.best import best_score
from orangefriday.voting.actions import cast_vote, withdraw_vote
from orangefriday.voting.models import Vote

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def scale() -> tuple[int, int]:
    """(fans, threads) for the database under test."""
    return (80, 60) if connection.vendor == "postgresql" else (100, 100)


@pytest.fixture
def crowd(db) -> list[User]:
    fans, _ = scale()
    return User.objects.bulk_create(
        [User(username=f"fan{i:03d}", email_verified_at=timezone.now()) for i in range(fans)]
    )


@pytest.fixture
def idea(alice, recorder) -> Post:
    return create_post(author=alice, product=recorder, kind="idea", title="Mute while recording")


def test_every_fan_voting_three_times_at_once_counts_once(crowd, idea):
    _, threads = scale()
    calls = [partial(cast_vote, fan=fan, post_id=idea.pk) for fan in crowd for _ in range(3)]
    random.Random(7).shuffle(calls)

    errors = run_concurrently(calls, threads)

    assert errors == []  # in particular no "database is locked"
    idea.refresh_from_db()
    assert idea.votes_count == len(crowd) == Vote.objects.filter(post=idea).count()
    assert idea.trending_votes == len(crowd)
    assert Vote.objects.values("fan").distinct().count() == len(crowd)


def test_votes_and_withdrawals_racing_leave_the_count_equal_to_the_rows(crowd, idea):
    _, threads = scale()
    calls: list[Callable[[], object]] = []
    for fan in crowd:
        calls += [partial(cast_vote, fan=fan, post_id=idea.pk)] * 2
        calls += [partial(withdraw_vote, fan=fan, post_id=idea.pk)]
    random.Random(11).shuffle(calls)

    errors = run_concurrently(calls, threads)

    assert errors == []
    idea.refresh_from_db()
    rows = Vote.objects.filter(post=idea).count()
    assert idea.votes_count == rows == idea.trending_votes
    assert 0 < rows < len(crowd)  # the race really mixed votes and withdrawals


def read_now(fan: User, post_id: int) -> None:
    record_read(post_id=post_id, fan_id=fan.pk)
    flush_reads()


def test_weighted_counts_stay_equal_to_the_rows_while_votes_and_reads_race(crowd, idea):
    """Half the crowd are new accounts (weight 0.3, and 0 once they outnumber the others in
    a burst); each fan votes twice, withdraws once and opens the post, all at once."""
    _, threads = scale()
    User.objects.filter(pk__in=[fan.pk for fan in crowd[::2]]).update(trust_level=2)
    crowd = list(User.objects.filter(pk__in=[fan.pk for fan in crowd]))
    calls: list[Callable[[], object]] = []
    for fan in crowd:
        calls += [partial(cast_vote, fan=fan, post_id=idea.pk)] * 2
        calls += [partial(withdraw_vote, fan=fan, post_id=idea.pk)]
        calls += [partial(read_now, fan, idea.pk)]
    random.Random(13).shuffle(calls)

    errors = run_concurrently(calls, threads)

    assert errors == []
    flush_reads()
    idea.refresh_from_db()
    votes, readers = Vote.objects.filter(post=idea), PostReader.objects.filter(post=idea)
    assert idea.votes_count == votes.count()
    assert idea.readers_count == readers.count() == len(crowd)  # every fan, once
    assert idea.weighted_votes == pytest.approx(votes.aggregate(w=Sum("weight"))["w"] or 0)
    assert idea.weighted_readers == pytest.approx(readers.aggregate(w=Sum("weight"))["w"])
    counts = {"weighted_votes": idea.weighted_votes, "weighted_readers": idea.weighted_readers}
    assert idea.best_score == best_score(**counts, typical=idea.product.typical)
