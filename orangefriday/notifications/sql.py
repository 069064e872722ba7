"""The raw SQL of notifications, kept for speed where a measurement asked for it: the follow
written by every vote, the outbox's batches and a big event's fan-out. Table names come
from `_meta.db_table`; `connection.vendor` is the one switch; each statement is tested on
SQLite and PostgreSQL (tests/test_sql.py)."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import connection, transaction

from orangefriday.accounts.models import User

from .models import Notification, OutboxEmail, Subscription


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


def _insert_skipping_conflicts(model: Any, columns: Sequence[str], rows: Sequence[tuple]) -> None:
    """INSERT many rows, skipping those a unique key already holds; the ORM's bulk_create
    costs more in Python than the database spends on a million rows. On PostgreSQL the rows
    are COPYed into a scratch table (psycopg writes COPY rows in C; quoting them into array
    literals cost more Python time than the database spent), then moved by one INSERT ...
    SELECT: one transaction, even when called outside one, and the table empties at commit."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = _table(model)
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            scratch = f"{model._meta.db_table}_batch"
            with transaction.atomic(savepoint=False):
                cursor.execute(
                    f"CREATE TEMPORARY TABLE IF NOT EXISTS {scratch} ON COMMIT DELETE ROWS"
                    f" AS SELECT {names} FROM {table} WITH NO DATA"
                )
                with cursor.copy(f"COPY {scratch} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                cursor.execute(
                    f"WITH batch AS (DELETE FROM {scratch} RETURNING {names})"
                    f" INSERT INTO {table} ({names}) SELECT {names} FROM batch"
                    " ON CONFLICT DO NOTHING"
                )
        else:
            values = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({values}) ON CONFLICT DO NOTHING", rows
            )


def insert_outbox(rows: Sequence[tuple[str, int, str, str, str]], *, now: datetime) -> None:
    """Outbox rows (key, fan id, subject, body, unsubscribe link), skipping keys that are
    there already."""
    when = _when(now)
    _insert_skipping_conflicts(
        OutboxEmail,
        (
            "key",
            "fan_id",
            "subject",
            "body",
            "unsubscribe_url",
            "created_at",
            "attempts",
            "claimed_by",
            "last_error",
        ),
        [(*row, when, 0, "", "") for row in rows],
    )


def insert_notifications(
    rows: Sequence[tuple[int, str, int | None, int | None, str, str, str]], *, now: datetime
) -> None:
    """In-app notifications (fan id, kind, build id, post id, message, url, the message's
    language), skipping those a unique key holds already (one per fan and build)."""
    when = _when(now)
    _insert_skipping_conflicts(
        Notification,
        ("fan_id", "kind", "build_id", "post_id", "message", "url", "language", "created_at"),
        [(*row, when) for row in rows],
    )


# The (fan, post) pairs of an audience that are told, with the fan's address: active fans,
# minus the pairs where the fan explicitly unfollowed the post. `{audience}` is the owner
# app's SQL of (fan_id, post_id) rows for the fans whose ids are in one range; the range is
# repeated on the fans, so that the planner reads those few by their key instead of hashing
# every fan there is. Ordered by fan, so that one pass groups each fan's posts.
_PAIRS = """
WITH audience AS ({audience})
SELECT DISTINCT a.fan_id, a.post_id, fan.email, fan.language
FROM audience a JOIN {user} fan ON fan.id = a.fan_id
WHERE fan.id > %(lo)s AND fan.id <= %(hi)s AND fan.is_active AND NOT EXISTS (
    SELECT 1 FROM {subscription} s
    WHERE s.fan_id = a.fan_id AND s.post_id = a.post_id AND NOT s.active
)
ORDER BY a.fan_id, a.post_id
"""


def audience_pairs(*, audience: str, params: dict[str, Any]) -> list[tuple[int, int, str, str]]:
    """(fan id, post id, email, language) of every pair of the audience that is told, by fan."""
    statement = _PAIRS.format(
        audience=audience, user=_table(User), subscription=_table(Subscription)
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and connection.in_atomic_block:
            # Deduplicating the pairs in memory, not in sorted runs spilled to disk.
            cursor.execute("SET LOCAL work_mem = '32MB'")
        cursor.execute(statement, params)
        return cursor.fetchall()
