"""The raw SQL of voting, kept because a vote is the busiest write there is (the ORM
compiled four queries per vote; see README, "Performance"). Table names come from
`_meta.db_table`; `connection.features` is the one switch (row locks); each statement is
tested on SQLite and PostgreSQL (tests/test_sql.py)."""

from datetime import UTC, datetime

from django.db import connection
from django.utils import timezone

from orangefriday.board.models import Post

from .models import Vote


def _table(model: type[Post] | type[Vote]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def locked_post(post_id: int) -> Post:
    """The post's vote counters (a Post holding its id, created_at, votes_count and status),
    its row locked until the transaction ends; Post.DoesNotExist if there is none."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT created_at, votes_count, status FROM {_table(Post)} WHERE id = %s{lock}",
            [post_id],
        )
        row = cursor.fetchone()
    if row is None:
        raise Post.DoesNotExist(f"No post {post_id}.")
    created_at, votes_count, status = row
    if timezone.is_naive(created_at):  # SQLite keeps UTC without the zone
        created_at = created_at.replace(tzinfo=UTC)
    return Post(pk=post_id, created_at=created_at, votes_count=votes_count, status=status)


def insert_vote(*, post_id: int, fan_id: int, now: datetime) -> bool:
    """Insert the vote unless it exists; True when a row was added."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_table(Vote)} (post_id, fan_id, created_at) VALUES (%s, %s, %s)"
            " ON CONFLICT (post_id, fan_id) DO NOTHING",
            [post_id, fan_id, connection.ops.adapt_datetimefield_value(now)],
        )
        return cursor.rowcount == 1


def set_counts(*, post_id: int, votes: int, hot_score: float, trending_delta: int) -> None:
    """Store the post's vote count and hot score, and move its trending count."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_table(Post)} SET votes_count = %s, hot_score = %s,"
            " trending_votes = trending_votes + %s WHERE id = %s",
            [votes, hot_score, trending_delta, post_id],
        )


def copy_votes(*, from_post_id: int, to_post_id: int) -> int:
    """Give one post a vote from every fan who voted on another but not on it; returns how
    many were added."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_table(Vote)} (post_id, fan_id, created_at)"
            f" SELECT %s, fan_id, created_at FROM {_table(Vote)} WHERE post_id = %s"
            " ON CONFLICT (post_id, fan_id) DO NOTHING",
            [to_post_id, from_post_id],
        )
        return max(cursor.rowcount, 0)
