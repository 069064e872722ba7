"""The raw SQL of accounts: the token lookup that every API call makes. Table names come
from `_meta.db_table`; plain SQL both databases run; tested on SQLite and PostgreSQL
(tests/test_sql.py)."""

from datetime import datetime

from django.db import connection

from .models import ApiToken, User

# One statement (no ORM query to compile) that also says whether last_used_at is stale, so
# that a token in use is written at most once a minute.
_USER_FOR_TOKEN = """
SELECT u.*, CASE WHEN t.last_used_at IS NULL OR t.last_used_at < %s THEN t.id END AS stale_token
FROM {token} t JOIN {user} u ON u.id = t.user_id
WHERE t.token_hash = %s AND t.revoked_at IS NULL AND u.is_active
  AND (t.expires_at IS NULL OR t.expires_at > %s)
  AND (u.suspended_until IS NULL OR u.suspended_until <= %s)
"""


def _tables() -> dict[str, str]:
    return {
        "token": connection.ops.quote_name(ApiToken._meta.db_table),
        "user": connection.ops.quote_name(User._meta.db_table),
    }


def user_for_token_hash(token_hash: str, *, stale_before: datetime, now: datetime) -> User | None:
    """The active, unsuspended fan whose live (unrevoked, unexpired at `now`) token has this
    hash, with
    `stale_token`: the token's id if it was last used before `stale_before`, else None."""
    statement = _USER_FOR_TOKEN.format(**_tables())
    adapt = connection.ops.adapt_datetimefield_value
    found = list(
        User.objects.raw(statement, [adapt(stale_before), token_hash, adapt(now), adapt(now)])
    )
    return found[0] if found else None


def touch_token(token_id: int, *, now: datetime) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_tables()['token']} SET last_used_at = %s WHERE id = %s",
            [connection.ops.adapt_datetimefield_value(now), token_id],
        )
