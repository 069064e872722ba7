"""The ranking formulas, as pure functions: no database, `now` passed in where time matters.

They are stored on each post by the actions that change their inputs, and indexed, so that a
ranked page reads the top rows of an index and never computes a formula over all posts.
"""

import math
from datetime import UTC, datetime, timedelta

# A post needs ten times the votes to stay level with a post HOT_DECADE_SECONDS newer.
# Three days suits a board that works in weekly builds: a post from Monday with ten times
# the votes of Thursday's newcomer still ranks level with it when the week is planned.
HOT_DECADE_SECONDS = 3 * 24 * 3600
HOT_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
TRENDING_WINDOW = timedelta(days=7)


def hot_score(votes: int, created_at: datetime) -> float:
    """Time-decayed votes: log10 of the votes plus the post's age advantage.

    Adding the creation time (instead of dividing by the age) keeps the score fixed until the
    next vote: ordering by it is the same as ordering by votes / 10 ** (age / 3 days), without
    rewriting every post as the clock moves.
    """
    if created_at.tzinfo is None:
        raise ValueError("created_at must be timezone-aware")
    freshness = (created_at - HOT_EPOCH).total_seconds() / HOT_DECADE_SECONDS
    return round(math.log10(max(votes, 1)) + freshness, 7)


def trending_cutoff(now: datetime) -> datetime:
    """Votes created after this instant count towards `trending`."""
    return now - TRENDING_WINDOW


def counts_as_trending(vote_created_at: datetime, counted_after: datetime) -> bool:
    return vote_created_at > counted_after
