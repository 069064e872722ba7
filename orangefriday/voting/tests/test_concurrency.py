"""Votes stay exact under real concurrency: threads with their own database connections.

The issue's figures: 100 fans x 3 concurrent votes on SQLite, 80 x 3 on PostgreSQL (whose
default of 100 connections caps the threads we can run at once).
"""

import random
from collections.abc import Callable
from functools import partial

import pytest
from django.db import connection
from django.utils import timezone

from orangefriday.accounts.models import User
from orangefriday.board.actions import create_post
from orangefriday.board.models import Post
from orangefriday.core.testing.concurrency import run_concurrently
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
