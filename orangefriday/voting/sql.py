"""The raw SQL of voting, kept because a vote is the busiest write there is (the ORM
compiled four queries per vote; see README, "Performance"). Table names come from
`_meta.db_table`; `connection.features` switches the row locks, and the vendor the vote's
statement (PostgreSQL's INSERT in WITH); each statement is tested on SQLite and PostgreSQL
(tests/test_sql.py)."""

from collections.abc import Sequence
from datetime import UTC, datetime

from django.db import connection
from django.utils import timezone

from orangefriday.board.models import Post, PostReader, Product

from .models import Vote


def _table(model: type[Post] | type[Vote] | type[PostReader] | type[Product]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _aware(instant: datetime) -> datetime:
    if timezone.is_naive(instant):  # SQLite keeps UTC without the zone
        instant = instant.replace(tzinfo=UTC)
    return instant


def _stamp(instant: datetime) -> str | None:
    stamp: str | None = connection.ops.adapt_datetimefield_value(instant)
    return stamp


def locked_post(post_id: int) -> Post:
    """The post's vote counters (a Post holding its id, created_at, votes_count, status,
    visibility, readers_count, weighted counts, burst_until, and its product's typical
    rate), its row locked until the transaction ends; Post.DoesNotExist if there is none."""
    lock = ""
    if connection.features.has_select_for_update_of:
        lock = " FOR UPDATE OF p"  # the post only: votes on other posts never wait
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.created_at, p.votes_count, p.status, p.visibility, p.readers_count,"
            " p.weighted_votes, p.weighted_readers, p.burst_until, p.product_id, r.typical_rate,"
            f" r.typical_strength FROM {_table(Post)} p JOIN {_table(Product)} r"
            f" ON r.id = p.product_id WHERE p.id = %s{lock}",
            [post_id],
        )
        row = cursor.fetchone()
    if row is None:
        raise Post.DoesNotExist(f"No post {post_id}.")
    created_at, votes, status, visibility, readers, weighted_votes, weighted_readers = row[:7]
    burst_until, product_id, typical_rate, typical_strength = row[7:]
    return Post(
        pk=post_id,
        created_at=_aware(created_at),
        votes_count=votes,
        status=status,
        visibility=visibility,
        readers_count=readers,
        weighted_votes=weighted_votes,
        weighted_readers=weighted_readers,
        burst_until=None if burst_until is None else _aware(burst_until),
        product=Product(
            pk=product_id, typical_rate=typical_rate, typical_strength=typical_strength
        ),
    )


def insert_reader(
    *, post_id: int, fan_id: int, now: datetime, trust_level: int, weight: float
) -> bool:
    """Make the fan a reader of the post unless she is one; True when a row was added."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_table(PostReader)} (post_id, fan_id, first_read_at, trust_level,"
            " weight) VALUES (%s, %s, %s, %s, %s) ON CONFLICT (post_id, fan_id) DO NOTHING",
            [post_id, fan_id, _stamp(now), trust_level, weight],
        )
        return cursor.rowcount == 1


def reader_weight(*, post_id: int, fan_id: int) -> tuple[int, float]:
    """(trust level, weight) of the fan as the post's reader (she is one)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT trust_level, weight FROM {_table(PostReader)}"
            " WHERE post_id = %s AND fan_id = %s",
            [post_id, fan_id],
        )
        trust_level, weight = cursor.fetchone()
    return trust_level, weight


def insert_vote(
    *, post_id: int, fan_id: int, now: datetime, trust_level: int = 1, weight: float = 1.0
) -> bool:
    """Insert the vote unless it exists; True when a row was added."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_table(Vote)} (post_id, fan_id, created_at, trust_level, weight)"
            " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (post_id, fan_id) DO NOTHING",
            [post_id, fan_id, _stamp(now), trust_level, weight],
        )
        return cursor.rowcount == 1


# PostgreSQL: the reader and the vote in one round trip under the post's lock (SQLite has
# no INSERT in WITH). Every part of the statement sees the rows as they were before it, so
# `reader` is the new reader's row or else the one she had: no reader row of the post can
# come between, as everything that writes them holds the post's lock first, as the caller
# does (a vote, board.reads.flush_reads, a merge).
_READER_AND_VOTE = """
WITH new_reader AS (
  INSERT INTO {reader} (post_id, fan_id, first_read_at, trust_level, weight)
  VALUES (%(post)s, %(fan)s, %(now)s, %(level)s, %(weight)s)
  ON CONFLICT (post_id, fan_id) DO NOTHING RETURNING trust_level, weight
), reader AS (
  SELECT 1 AS new, trust_level, weight FROM new_reader
  UNION ALL
  SELECT 0, trust_level, weight FROM {reader} WHERE post_id = %(post)s AND fan_id = %(fan)s
), vote AS (
  INSERT INTO {vote} (post_id, fan_id, created_at, trust_level, weight)
  SELECT %(post)s, %(fan)s, %(now)s, trust_level, weight FROM reader
  ON CONFLICT (post_id, fan_id) DO NOTHING RETURNING 1
)
SELECT new, trust_level, weight, EXISTS (SELECT 1 FROM vote) FROM reader
"""


def read_and_vote(
    *, post_id: int, fan_id: int, now: datetime, trust_level: int, weight: float
) -> tuple[bool, int, float, bool]:
    """Make the fan a reader of the post with `trust_level` and `weight` unless she is one,
    then insert her vote unless it exists, with the level and weight of her reading.
    Returns (a new reader, that level, that weight, a new vote). PostgreSQL: one statement;
    SQLite: two or three. The caller holds the post's lock."""
    if connection.vendor == "postgresql":
        statement = _READER_AND_VOTE.format(reader=_table(PostReader), vote=_table(Vote))
        values = {"post": post_id, "fan": fan_id, "now": _stamp(now)}
        with connection.cursor() as cursor:
            cursor.execute(statement, {**values, "level": trust_level, "weight": weight})
            new, level, weighs, voted = cursor.fetchone()
        return bool(new), level, weighs, voted
    new_reader = insert_reader(
        post_id=post_id, fan_id=fan_id, now=now, trust_level=trust_level, weight=weight
    )
    if not new_reader:
        trust_level, weight = reader_weight(post_id=post_id, fan_id=fan_id)
    voted = insert_vote(
        post_id=post_id, fan_id=fan_id, now=now, trust_level=trust_level, weight=weight
    )
    return new_reader, trust_level, weight, voted


def votes_since(*, post_id: int, since: datetime, trusted: bool) -> int:
    """The post's votes cast after `since` by untrusted fans (trust level 0, read from the
    partial index vote_untrusted_recent) or by trusted ones."""
    level = "trust_level > 0" if trusted else "trust_level = 0"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {_table(Vote)}"
            f" WHERE post_id = %s AND created_at > %s AND {level}",
            [post_id, _stamp(since)],
        )
        (count,) = cursor.fetchone()
    return count


def silence_untrusted_since(*, post_id: int, since: datetime) -> tuple[float, float]:
    """Weigh 0 the untrusted votes and reads of the post after `since` (a burst); returns
    the post's weighted (votes, readers) recounted from its rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_table(Vote)} SET weight = 0"
            " WHERE post_id = %s AND created_at > %s AND trust_level = 0",
            [post_id, _stamp(since)],
        )
        cursor.execute(
            f"UPDATE {_table(PostReader)} SET weight = 0"
            " WHERE post_id = %s AND first_read_at > %s AND trust_level = 0",
            [post_id, _stamp(since)],
        )
        cursor.execute(
            f"SELECT (SELECT COALESCE(SUM(weight), 0) FROM {_table(Vote)} WHERE post_id = %s),"
            f" (SELECT COALESCE(SUM(weight), 0) FROM {_table(PostReader)} WHERE post_id = %s)",
            [post_id, post_id],
        )
        weighted_votes, weighted_readers = cursor.fetchone()
    return float(weighted_votes), float(weighted_readers)


def set_counts(
    *,
    post: Post,
    hot_score: float,
    trending_delta: int,
    best_score: float,
    explore_priority: float,
) -> None:
    """Store the post's counts (votes, readers, weighted, burst_until) and scores, and move
    its trending count."""
    burst_until = None if post.burst_until is None else _stamp(post.burst_until)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_table(Post)} SET votes_count = %s, hot_score = %s,"
            " trending_votes = trending_votes + %s, readers_count = %s, weighted_votes = %s,"
            " weighted_readers = %s, burst_until = %s, best_score = %s, explore_priority = %s"
            " WHERE id = %s",
            [
                post.votes_count,
                hot_score,
                trending_delta,
                post.readers_count,
                post.weighted_votes,
                post.weighted_readers,
                burst_until,
                best_score,
                explore_priority,
                post.pk,
            ],
        )


def copy_votes(*, from_post_id: int, to_post_id: int) -> int:
    """Give one post a vote from every fan who voted on another but not on it (with its
    trust level and weight); returns how many were added."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_table(Vote)} (post_id, fan_id, created_at, trust_level, weight)"
            f" SELECT %s, fan_id, created_at, trust_level, weight FROM {_table(Vote)}"
            " WHERE post_id = %s ON CONFLICT (post_id, fan_id) DO NOTHING",
            [to_post_id, from_post_id],
        )
        return max(cursor.rowcount, 0)


def copy_readers(*, from_post_id: int, to_post_id: int) -> None:
    """Make every reader of one post a reader of another (a reader of both keeps the
    other's row)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_table(PostReader)} (post_id, fan_id, first_read_at, trust_level,"
            f" weight) SELECT %s, fan_id, first_read_at, trust_level, weight"
            f" FROM {_table(PostReader)} WHERE post_id = %s ON CONFLICT (post_id, fan_id)"
            " DO NOTHING",
            [to_post_id, from_post_id],
        )


def make_voters_readers(*, post_ids: list[int]) -> None:
    """Make each voter of these posts a reader, with her vote's trust level and weight
    (votes inserted in bulk made no reader)."""
    if not post_ids:
        return
    marks = ", ".join(["%s"] * len(post_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_table(PostReader)} (post_id, fan_id, first_read_at, trust_level,"
            f" weight) SELECT post_id, fan_id, created_at, trust_level, weight"
            f" FROM {_table(Vote)} WHERE post_id IN ({marks}) ON CONFLICT (post_id, fan_id)"
            " DO NOTHING",
            post_ids,
        )


def read_vote_states(*, fan_id: int, posts: Sequence[Post]) -> dict[int, bool]:
    """What a vote button shows of each post, in one statement: its count and state as they
    are now, read into it (votes_count, status, visibility; a fan's kept board gives posts
    holding only their ids, board.rows), and whether the fan voted for it. Keyed by the ids
    of the posts that still exist."""
    if not posts:
        return {}
    by_id = {post.pk: post for post in posts}
    marks = ", ".join(["%s"] * len(by_id))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.id, p.votes_count, p.status, p.visibility, EXISTS (SELECT 1 FROM"
            f" {_table(Vote)} v WHERE v.post_id = p.id AND v.fan_id = %s)"
            f" FROM {_table(Post)} p WHERE p.id IN ({marks})",
            [fan_id, *by_id],
        )
        rows = cursor.fetchall()
    voted = {}
    for pk, votes_count, status, visibility, mark in rows:
        post = by_id[pk]
        post.votes_count, post.status, post.visibility = votes_count, status, visibility
        voted[pk] = bool(mark)
    return voted
