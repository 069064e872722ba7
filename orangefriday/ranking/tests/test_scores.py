"""The formulas need no database."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from orangefriday.ranking.scores import (
    HOT_DECADE_SECONDS,
    counts_as_trending,
    hot_score,
    trending_cutoff,
)

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_more_votes_rank_higher_at_the_same_age():
    assert hot_score(10, NOW) > hot_score(9, NOW) > hot_score(1, NOW)


def test_zero_and_one_vote_score_alike():
    assert hot_score(0, NOW) == hot_score(1, NOW)


def test_a_newer_post_beats_an_older_one_with_the_same_votes():
    assert hot_score(5, NOW) > hot_score(5, NOW - timedelta(hours=1))


def test_ten_times_the_votes_equal_one_decade_of_freshness():
    older = NOW - timedelta(seconds=HOT_DECADE_SECONDS)
    assert hot_score(100, older) == pytest.approx(hot_score(10, NOW))


def test_an_old_post_with_many_votes_yields_to_yesterdays_post():
    week_old = hot_score(1000, NOW - timedelta(days=7))
    day_old = hot_score(20, NOW - timedelta(days=1))
    assert day_old > week_old


def test_the_score_does_not_depend_on_the_time_zone_it_is_written_in():
    shanghai = NOW.astimezone(ZoneInfo("Asia/Shanghai"))
    assert hot_score(7, shanghai) == hot_score(7, NOW)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        hot_score(1, datetime(2026, 1, 1))


def test_trending_counts_exactly_the_last_seven_days():
    cutoff = trending_cutoff(NOW)
    assert cutoff == NOW - timedelta(days=7)
    assert counts_as_trending(cutoff + timedelta(microseconds=1), cutoff)
    assert not counts_as_trending(cutoff, cutoff)
