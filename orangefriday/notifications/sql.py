"""The raw SQL of notifications, kept for speed where a measurement asked for it: the follow
written by every vote, the outbox's batches and a big event's fan-out. Table names come
from `_meta.db_table`; `connection.vendor` is the one switch; each statement is tested on
SQLite and PostgreSQL (tests/test_sql.py)."""

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from django.db import connection, transaction

from orangefriday.accounts.models import User

from .models import EmailPreference, Notification, OutboxEmail, Subscription

# Rows fetched from a cursor at a time.
FETCH = 2000


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _when(moment: datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(moment)


def insert_subscription(*, fan_id: int, post_id: int, now: datetime) -> None:
    """Follow a post unless a row (followed or explicitly unfollowed) exists: one plain
    statement, as every vote runs it."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_table(Subscription)} (fan_id, post_id, active, created_at)"
            " VALUES (%s, %s, %s, %s) ON CONFLICT (fan_id, post_id) DO NOTHING",
            [fan_id, post_id, True, _when(now)],
        )


_OUTBOX_COLUMNS = (
    "key",
    "fan_id",
    "subject",
    "body",
    "unsubscribe_url",
    "created_at",
    "attempts",
    "claimed_by",
    "last_error",
)


def insert_outbox(rows: Sequence[tuple[str, int, str, str, str]], *, now: datetime) -> None:
    """INSERT outbox rows (key, fan id, subject, body, unsubscribe link), skipping keys that
    are there already; the ORM's bulk_create costs more in Python than the database spends
    on a million rows."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = _table(OutboxEmail)
    columns = ", ".join(quote(column) for column in _OUTBOX_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY the batch into a session's scratch table (psycopg writes COPY rows in C;
            # quoting the same rows into array literals cost more Python time than the
            # database spent), then one INSERT ... SELECT that skips the keys already there.
            # One transaction, even when called outside one: the table empties at commit.
            with transaction.atomic(savepoint=False):
                cursor.execute(
                    "CREATE TEMPORARY TABLE IF NOT EXISTS outbox_batch (key text,"
                    " fan_id bigint, subject text, body text, unsubscribe_url text)"
                    " ON COMMIT DELETE ROWS"
                )
                with cursor.copy("COPY outbox_batch FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                cursor.execute(
                    "WITH batch AS (DELETE FROM outbox_batch RETURNING *)"
                    f" INSERT INTO {table} ({columns})"
                    " SELECT *, %s::timestamptz, 0, '', '' FROM batch"
                    " ON CONFLICT DO NOTHING",
                    [_when(now)],
                )
        else:
            values = ", ".join(["%s"] * len(_OUTBOX_COLUMNS))
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({values}) ON CONFLICT DO NOTHING",
                [(*row, _when(now), 0, "", "") for row in rows],
            )


# The (fan, post) pairs of an audience that are told: active fans, minus the pairs where the
# fan explicitly unfollowed the post. `{audience}` is the owner app's SQL of (fan_id, post_id)
# rows for the fans whose ids are in one range.
_PAIRS = """
WITH audience AS ({audience}), pairs AS (
    SELECT DISTINCT a.fan_id, a.post_id, fan.email
    FROM audience a JOIN {user} fan ON fan.id = a.fan_id
    WHERE fan.is_active AND NOT EXISTS (
        SELECT 1 FROM {subscription} s
        WHERE s.fan_id = a.fan_id AND s.post_id = a.post_id AND NOT s.active
    )
)
"""

# One in-app notification per fan, in one statement, naming the post when the fan has one
# and counting them otherwise; the (fan, build) unique index turns a replay into nothing.
# (The WITH goes after INSERT: Python's sqlite3 reports no row count for a statement that
# does not start with INSERT.)
_INSERT_GROUPED = """
INSERT INTO {notification} (fan_id, kind, build_id, post_id, message, url, created_at)
{pairs}
SELECT per_fan.fan_id, %(kind)s, %(build_id)s,
    CASE WHEN per_fan.n = 1 THEN per_fan.post_id END,
    CASE WHEN per_fan.n = 1 THEN %(before_title)s || post.title || %(after_title)s
        ELSE CAST(per_fan.n AS TEXT) || %(after_count)s END,
    %(url)s, %(now)s
FROM (
    SELECT pairs.fan_id, COUNT(*) AS n, MIN(pairs.post_id) AS post_id
    FROM pairs GROUP BY pairs.fan_id
) per_fan JOIN {post} post ON post.id = per_fan.post_id
WHERE per_fan.n > 0 -- SQLite needs a WHERE before ON CONFLICT in an INSERT ... SELECT
ORDER BY per_fan.fan_id -- the indexes on fan_id are then written in order
ON CONFLICT DO NOTHING
"""

# The fans to email with their posts, ordered by fan so that one pass groups each fan's
# posts.
_EMAIL_PAIRS = """
SELECT pairs.fan_id, pairs.post_id FROM pairs
WHERE pairs.email <> '' AND NOT EXISTS (
    SELECT 1 FROM {preference} p WHERE p.fan_id = pairs.fan_id AND NOT p.updates
)
ORDER BY pairs.fan_id, pairs.post_id
"""


def _pairs(audience: str) -> str:
    return _PAIRS.format(audience=audience, user=_table(User), subscription=_table(Subscription))


def insert_grouped_notifications(
    *,
    audience: str,
    params: dict[str, Any],
    kind: str,
    build_id: int | None,
    url: str,
    before_title: str,
    after_title: str,
    after_count: str,
    now: datetime,
) -> int:
    """One notification per fan of the audience; returns how many were written."""
    statement = _INSERT_GROUPED.format(
        notification=_table(Notification),
        # board.Post, named through the string foreign key: no import of a later app.
        post=_table(Notification._meta.get_field("post").related_model),
        pairs=_pairs(audience),
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Deduplicating and grouping the pairs in memory, not in sorted runs on disk.
            cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(
            statement,
            {
                **params,
                "kind": kind,
                "build_id": build_id,
                "url": url,
                "before_title": before_title,
                "after_title": after_title,
                "after_count": after_count,
                "now": _when(now),
            },
        )
        return max(cursor.rowcount, 0)


def email_pairs(*, audience: str, params: dict[str, Any]) -> Iterator[tuple[int, list[int]]]:
    """(fan id, post ids) of each fan of the audience who takes these emails, by fan."""
    statement = _pairs(audience) + _EMAIL_PAIRS.format(preference=_table(EmailPreference))
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        current: tuple[int, list[int]] | None = None
        while rows := cursor.fetchmany(FETCH):
            for fan_id, post_id in rows:
                if current is None or current[0] != fan_id:
                    if current is not None:
                        yield current
                    current = (fan_id, [])
                current[1].append(post_id)
        if current is not None:
            yield current
