"""The raw SQL of accounts: the token lookup that every API call makes. Table names come
from `_meta.db_table`; plain SQL both databases run; tested on SQLite and PostgreSQL
(tests/test_sql.py)."""

from datetime import datetime

from django.db import connection

from .models import ApiToken, User

# One statement (no ORM query to compile): the token's fan, and whether the token's
# last_used_at is stale, so that a token in use is written at most once a minute.
_LIVE_TOKEN = """
SELECT u.*, t.id AS token_id,
  CASE WHEN t.last_used_at IS NULL OR t.last_used_at < %s THEN 1 ELSE 0 END AS stale
FROM {token} t JOIN {user} u ON u.id = t.user_id
WHERE t.token_hash = %s AND t.revoked_at IS NULL AND u.is_active
  AND (t.expires_at IS NULL OR t.expires_at > %s)
  AND (u.suspended_until IS NULL OR u.suspended_until <= %s)
"""

# PostgreSQL: the lookup and the write of a stale last_used_at in one statement (one round
# trip; a statement in WITH that changes data runs once, whether or not the query reads
# it). In a rush of new fans every call writes it: that was a second statement each.
_LIVE_TOKEN_TOUCHED = (
    f"WITH found AS ({_LIVE_TOKEN.strip()}),"
    " touched AS (UPDATE {token} SET last_used_at = %s"
    " WHERE id IN (SELECT token_id FROM found WHERE stale = 1) RETURNING id)"
    " SELECT * FROM found"
)


def _tables() -> dict[str, str]:
    return {
        "token": connection.ops.quote_name(ApiToken._meta.db_table),
        "user": connection.ops.quote_name(User._meta.db_table),
    }


def user_for_token_hash(token_hash: str, *, stale_before: datetime, now: datetime) -> User | None:
    """The active, unsuspended fan whose live (unrevoked, unexpired at `now`) token has this
    hash; the token's last_used_at becomes `now` if it was before `stale_before`."""
    adapt = connection.ops.adapt_datetimefield_value
    lookup = [adapt(stale_before), token_hash, adapt(now), adapt(now)]
    if connection.vendor == "postgresql":
        statement = _LIVE_TOKEN_TOUCHED.format(**_tables())
        found = list(User.objects.raw(statement, [*lookup, adapt(now)]))
        return found[0] if found else None
    found = list(User.objects.raw(_LIVE_TOKEN.format(**_tables()), lookup))
    if not found:
        return None
    if found[0].stale:  # type: ignore[attr-defined]
        _touch_token(found[0].token_id, now=now)  # type: ignore[attr-defined]
    return found[0]


def _touch_token(token_id: int, *, now: datetime) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_tables()['token']} SET last_used_at = %s WHERE id = %s",
            [connection.ops.adapt_datetimefield_value(now), token_id],
        )
