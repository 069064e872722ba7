"""The raw SQL of accounts: the token lookup that every API call makes. Table names come
from `_meta.db_table`; plain SQL both databases run; tested on SQLite and PostgreSQL
(tests/test_sql.py)."""

from datetime import UTC, datetime

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .models import ApiToken, User

# One statement (no ORM query to compile): the token's fan, when the token was last used,
# and whether that is stale, so that a token read with is written at most once a minute.
_LIVE_TOKEN = """
SELECT u.*, t.id AS token_id, t.last_used_at AS token_used_at,
  CASE WHEN t.last_used_at IS NULL OR t.last_used_at < %s THEN 1 ELSE 0 END AS stale
FROM {token} t JOIN {user} u ON u.id = t.user_id
WHERE t.token_hash = %s AND t.revoked_at IS NULL AND u.is_active
  AND (t.expires_at IS NULL OR t.expires_at > %s)
  AND (u.suspended_until IS NULL OR u.suspended_until <= %s)
"""

# Stale still when the row is written: a write's stamp (stamp_token) that landed meanwhile
# is never put back to an earlier time.
_TOUCH = (
    "UPDATE {token} SET last_used_at = %s"
    " WHERE id = {id} AND (last_used_at IS NULL OR last_used_at < %s)"
)

# PostgreSQL: the lookup and the write of a stale last_used_at in one statement (one round
# trip; a statement in WITH that changes data runs once, whether or not the query reads
# it). In a rush of new fans every call writes it: that was a second statement each.
_LIVE_TOKEN_TOUCHED = (
    f"WITH found AS ({_LIVE_TOKEN.strip()}),"
    " touched AS ("
    + _TOUCH.format(token="{token}", id="ANY(SELECT token_id FROM found WHERE stale = 1)")
    + " RETURNING id) SELECT * FROM found"
)


def _tables() -> dict[str, str]:
    return {
        "token": connection.ops.quote_name(ApiToken._meta.db_table),
        "user": connection.ops.quote_name(User._meta.db_table),
    }


def user_for_token_hash(
    token_hash: str, *, stale_before: datetime, now: datetime, touch: bool = True
) -> User | None:
    """The active, unsuspended fan whose live (unrevoked, unexpired at `now`) token has this
    hash, with `token_id` and `token_used_at` (the token's last_used_at before this call,
    aware, or None). With `touch`, last_used_at becomes `now` if it was before
    `stale_before`."""
    adapt = connection.ops.adapt_datetimefield_value
    lookup = [adapt(stale_before), token_hash, adapt(now), adapt(now)]
    if touch and connection.vendor == "postgresql":
        statement = _LIVE_TOKEN_TOUCHED.format(**_tables())
        found = list(User.objects.raw(statement, [*lookup, adapt(now), adapt(stale_before)]))
    else:
        found = list(User.objects.raw(_LIVE_TOKEN.format(**_tables()), lookup))
        if touch and found and found[0].stale:  # type: ignore[attr-defined]
            with connection.cursor() as cursor:
                cursor.execute(
                    _TOUCH.format(id="%s", **_tables()),
                    [adapt(now), found[0].token_id, adapt(stale_before)],  # type: ignore[attr-defined]
                )
    if not found:
        return None
    user = found[0]
    user.token_used_at = _aware(user.token_used_at)  # type: ignore[attr-defined]
    return user


def _aware(stamp: datetime | str | None) -> datetime | None:
    # A column outside the model's fields comes as the driver gives it: SQLite's is text.
    if isinstance(stamp, str):
        stamp = parse_datetime(stamp)
    if stamp is not None and timezone.is_naive(stamp):
        stamp = stamp.replace(tzinfo=UTC)
    return stamp


def stamp_token(token_id: int, *, now: datetime) -> None:
    """The token was used until `now`."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_tables()['token']} SET last_used_at = %s WHERE id = %s",
            [connection.ops.adapt_datetimefield_value(now), token_id],
        )
