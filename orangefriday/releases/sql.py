"""The raw SQL of releases: who hears about a published build. Built from `_meta.db_table`;
plain SQL that SQLite and PostgreSQL both run (tests/test_sql.py runs it on both)."""

from typing import Any

from django.db import connection

from orangefriday.notifications.models import Subscription
from orangefriday.voting.models import Vote

# The voters and active followers of the shipped posts, for fans of one id range (the
# fan-out goes range by range: notifications.fanout). The shipped posts come as a list of
# ids, not as a subquery on the build's changes: the planner then knows how many votes they
# carry (a million, not the handful its statistics of a build cut a moment ago suggest).
_AUDIENCE = """
SELECT fan_id, post_id FROM {vote}
WHERE post_id IN ({posts}) AND fan_id > %(lo)s AND fan_id <= %(hi)s
UNION ALL
SELECT fan_id, post_id FROM {subscription}
WHERE active = TRUE AND post_id IN ({posts}) AND fan_id > %(lo)s AND fan_id <= %(hi)s
"""


def build_audience(post_ids: list[int]) -> tuple[str, dict[str, Any]]:
    """SQL of (fan_id, post_id) rows of the build's audience, and its parameters (`lo` and
    `hi` are the fan-out's to add)."""
    quote = connection.ops.quote_name
    names = {f"post{i}": post_id for i, post_id in enumerate(post_ids)}
    statement = _AUDIENCE.format(
        vote=quote(Vote._meta.db_table),
        subscription=quote(Subscription._meta.db_table),
        posts=", ".join(f"%({name})s" for name in names),
    )
    return statement, names
