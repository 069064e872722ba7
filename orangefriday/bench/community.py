"""A generated community for benchmarks: fans, posts on four boards, votes, API tokens.

Everything is written set-based (INSERT ... SELECT over a series of integers; on PostgreSQL
`generate_series`, on SQLite a recursive CTE), never row by row, so ten million votes load
in minutes. The data is deterministic: who votes for what is a fixed function of the row
number, so two runs at the same scale produce the same community (relative to `now`).

Votes are written before the posts they point to, so that each post is inserted with its
stored counters already computed from its vote rows (one aggregate join instead of a
million UPDATEs). On PostgreSQL the foreign keys are not checked row by row during the load
(`session_replication_role = replica`, the rows are consistent by construction) and the
secondary indexes of the big tables are dropped and built again once at the end.

Boards (product slugs):
  bench         the main board: the votes and board benchmarks run here
  bench-small   a board of `small_posts` posts  } the same page at two sizes
  bench-large   a board of `large_posts` posts  }
  bench-friday  `shipped_posts` posts marked shipped, voted and followed by `shipped_voters`
                (fan, post) pairs: the Friday cut's fan-out
"""

import math
import sys
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import TextIO

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from orangefriday.accounts.models import ApiToken, User, hash_token
from orangefriday.board.models import Post, Product
from orangefriday.notifications.models import Subscription
from orangefriday.ranking.scores import HOT_DECADE_SECONDS, HOT_EPOCH, hot_score, trending_cutoff
from orangefriday.voting.models import TrendingWindow, Vote

MAIN, SMALL, LARGE, FRIDAY = "bench", "bench-small", "bench-large", "bench-friday"
DAY = 24 * 3600
# Posts were written over the last 90 days, votes cast over the same span.
SPAN = 90 * DAY
TOKEN_PREFIX = "of_bench_"


@dataclass(frozen=True)
class Scale:
    posts: int = 100_000  # on the main board
    fans: int = 200_000
    votes: int = 10_000_000  # on the main, small and large boards together
    small_posts: int = 10_000
    large_posts: int = 1_000_000
    shipped_posts: int = 200
    shipped_voters: int = 1_000_000  # (fan, post) pairs on the shipped posts
    tokens: int = 20_000  # fans 0..tokens-1 get the API token token_for(i)

    def describe(self) -> str:
        return ",".join(f"{name}={value}" for name, value in asdict(self).items())


QUICK = Scale(
    posts=2_000,
    fans=5_000,
    votes=60_000,
    small_posts=1_000,
    large_posts=20_000,
    shipped_posts=200,
    shipped_voters=20_000,
    tokens=3_000,
)


# The Friday on SQLite, the embedded default (`bench --friday-only`): smaller, as a
# community on one machine's SQLite file would be.
SQLITE = Scale(
    posts=2_000,
    fans=50_000,
    votes=40_000,
    small_posts=500,
    large_posts=500,
    shipped_posts=100,
    shipped_voters=200_000,
    tokens=4_000,
)
SQLITE_QUICK = Scale(
    posts=500,
    fans=5_000,
    votes=5_000,
    small_posts=100,
    large_posts=100,
    shipped_posts=50,
    shipped_voters=20_000,
    tokens=1_000,
)


def token_for(index: int) -> str:
    """The raw API token of generated fan number `index` (only its hash is stored)."""
    return f"{TOKEN_PREFIX}{index:07d}"


def generated_scale() -> str | None:
    """The scale the database was generated at, or None if it holds no generated community."""
    product = Product.objects.filter(slug=MAIN).first()
    return product.tagline.removeprefix("generated: ") if product else None


class Progress:
    """A one-line progress bar on a terminal (one line per step elsewhere)."""

    def __init__(self, out: TextIO, total: int, width: int = 30):
        self.out, self.total, self.width = out, max(total, 1), width
        self.done = 0
        self.started = time.monotonic()
        self.tty = out.isatty()

    def step(self, amount: int, label: str) -> None:
        self.done += amount
        share = min(self.done / self.total, 1.0)
        bar = "#" * round(share * self.width)
        line = (
            f"[{bar:<{self.width}}] {share:6.1%}  {label:<40}"
            f" {time.monotonic() - self.started:6.1f}s"
        )
        self.out.write(f"\r{line}" if self.tty else f"{line}\n")
        self.out.flush()

    def finish(self) -> None:
        if self.tty:
            self.out.write("\n")


def _mix(expr: str, modulo: int) -> str:
    """A fixed pseudo-random number in [0, modulo) from an integer expression."""
    return f"((({expr}) * 2654435761 + 12345) % {max(modulo, 1)})"


class _Sql:
    """The few places where PostgreSQL and SQLite differ."""

    def __init__(self, now: datetime):
        self.pg = connection.vendor == "postgresql"
        stamp = now.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
        self.now = f"TIMESTAMPTZ '{stamp}+00:00'" if self.pg else f"'{stamp}'"

    def seconds_ago(self, expr: str) -> str:
        if self.pg:
            return f"({self.now} - ({expr}) * INTERVAL '1 second')"
        return f"datetime({self.now}, '-' || ({expr}) || ' seconds')"

    def insert_series(self, table: str, columns: str, select: str, first: int, last: int) -> None:
        """INSERT INTO table (columns) SELECT `select` for i = first..last (inclusive)."""
        if last < first:
            return
        if self.pg:
            sql = (
                f"INSERT INTO {table} ({columns}) SELECT {select}"
                f" FROM generate_series({first}::bigint, {last}::bigint) AS g(i)"
            )
        else:
            sql = (
                f"WITH RECURSIVE g(i) AS (SELECT {first} UNION ALL SELECT i + 1 FROM g"
                f" WHERE i < {last}) INSERT INTO {table} ({columns}) SELECT {select} FROM g"
                " WHERE TRUE"
            )
        with connection.cursor() as cursor:
            cursor.execute(sql)


def _row(model, values: dict[str, str]) -> tuple[str, str]:
    """(columns, SQL values) for every column of `model`: those in `values`, the others
    their field's default (NULL where allowed), so that a column added later needs no change
    here as long as it has a default."""
    columns, row = [], []
    for field in model._meta.concrete_fields:
        columns.append(connection.ops.quote_name(field.column))
        if field.column in values:
            row.append(values[field.column])
        elif field.null:
            row.append("NULL")
        elif field.has_default():
            row.append(_sql_literal(field.get_db_prep_save(field.get_default(), connection)))
        elif field.empty_strings_allowed:
            row.append("''")
        else:
            raise ValueError(f"No value for {model.__name__}.{field.name}")
    return ", ".join(columns), ", ".join(row)


def _sql_literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise ValueError(f"No SQL literal for {value!r}")


def _chunked(total: int, size: int) -> list[tuple[int, int]]:
    return [(lo, min(lo + size, total) - 1) for lo in range(0, total, size)]


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _drop_secondary_indexes(tables: list[str]) -> list[str]:
    """PostgreSQL: drop the secondary indexes and unique constraints of `tables`; return the
    statements that build them again."""
    rebuild: list[str] = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
                " WHERE conrelid = %s::regclass AND contype = 'u'",
                [table],
            )
            for name, definition in cursor.fetchall():
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
                rebuild.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)"
                " FROM pg_index i WHERE i.indrelid = %s::regclass AND NOT i.indisprimary",
                [table],
            )
            for name, definition in cursor.fetchall():
                cursor.execute(f"DROP INDEX {name}")
                rebuild.append(definition)
    return rebuild


def generate(
    scale: Scale, *, out: TextIO = sys.stdout, now: datetime | None = None
) -> dict[str, int]:
    """Write a community at `scale` into the database. Refuses if one is there already.

    Returns the ids it used: first fan id, first post id of each board.
    """
    if generated_scale() is not None:
        raise ValueError("This database already holds a generated community.")
    if scale.votes > scale.fans * (scale.posts + scale.small_posts + scale.large_posts):
        raise ValueError("More votes than (fan, post) pairs.")
    if scale.shipped_posts and scale.shipped_voters > scale.fans * scale.shipped_posts:
        raise ValueError("More shipped voters than (fan, post) pairs.")
    now = now or timezone.now()
    sql = _Sql(now)
    regular_posts = scale.posts + scale.small_posts + scale.large_posts
    total = 2 * scale.fans + scale.votes + 2 * scale.shipped_voters + 2 * regular_posts
    progress = Progress(out, total + scale.shipped_posts + scale.tokens)
    window = TrendingWindow.objects.filter(pk=1).first()
    counted_after = window.counted_after if window else trending_cutoff(now)

    with transaction.atomic():
        rebuild: list[str] = []
        if sql.pg:
            with connection.cursor() as cursor:
                # The rows are consistent by construction: no per-row foreign-key triggers.
                cursor.execute("SET LOCAL session_replication_role = replica")
                cursor.execute("SET LOCAL synchronous_commit = off")
                cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            rebuild = _drop_secondary_indexes(
                [_table(Vote), _table(Subscription), _table(Post), _table(User)]
            )
        if window is None:
            TrendingWindow.objects.create(pk=1, counted_after=counted_after)

        created = now - timedelta(days=120)
        products = {
            slug: Product.objects.create(
                slug=slug, name=name, tagline=tagline, created_at=created, time_zone="UTC"
            )
            for slug, name, tagline in [
                (MAIN, "Bench", f"generated: {scale.describe()}"),
                (SMALL, "Bench small", "generated"),
                (LARGE, "Bench large", "generated"),
                (FRIDAY, "Bench Friday", "generated"),
            ]
        }
        fan0 = (User.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        post0 = (Post.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        # Post ids: main board, then small, then large (the regular posts, contiguous), then
        # the shipped ones.
        boards = [
            (products[MAIN], post0, scale.posts),
            (products[SMALL], post0 + scale.posts, scale.small_posts),
            (products[LARGE], post0 + scale.posts + scale.small_posts, scale.large_posts),
        ]
        friday0 = post0 + regular_posts

        _insert_fans(sql, scale, fan0, progress)
        _insert_votes(sql, scale, fan0, post0, friday0, progress)
        for product, first, count in boards:
            _insert_posts(sql, product, first, count, fan0, scale.fans, counted_after, progress)
        _insert_posts(
            sql,
            products[FRIDAY],
            friday0,
            scale.shipped_posts,
            fan0,
            scale.fans,
            counted_after,
            progress,
            shipped=True,
        )
        if not sql.pg:
            _set_hot_scores_in_python(post0, friday0 + scale.shipped_posts - 1)
        _insert_tokens(scale, fan0, now, progress)
        if rebuild:
            progress.step(0, "building indexes")
            with connection.cursor() as cursor:
                for statement in rebuild:
                    cursor.execute(statement)
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), [User, Post]):
                cursor.execute(statement)
    progress.step(0, "done")
    progress.finish()
    if sql.pg and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            for model in (Vote, Subscription, Post, User, ApiToken):
                cursor.execute(f"VACUUM ANALYZE {_table(model)}")
    return {"fan0": fan0, "post0": post0, "friday0": friday0}


def _insert_fans(sql: _Sql, scale: Scale, fan0: int, progress: Progress) -> None:
    columns, select = _row(
        User,
        {
            "id": f"{fan0} + i",
            "password": "'!generated'",
            "username": "'bench_fan_' || i",
            "email": "'bench_fan_' || i || '@example.invalid'",
            "is_active": "TRUE",
            "date_joined": sql.seconds_ago(_mix("i", 365 * DAY)),
            "email_verified_at": sql.seconds_ago(_mix("i", 365 * DAY)),
            # Members (trust level 2): the limits a community's usual fan has.
            "trust_level": "2",
        },
    )
    for lo, hi in _chunked(scale.fans, 100_000):
        sql.insert_series(_table(User), columns, select, lo, hi)
        progress.step(2 * (hi - lo + 1), f"fans {hi + 1:,}")


def _insert_votes(
    sql: _Sql, scale: Scale, fan0: int, post0: int, friday0: int, progress: Progress
) -> None:
    regular = scale.posts + scale.small_posts + scale.large_posts
    # Generated votes count as trusted fans' (weight 1), as every bulk-loaded vote does.
    columns = "post_id, fan_id, created_at, trust_level, weight"
    # Vote i: fan f = i mod F casts its k-th vote (k = i div F) on post (f * 7919 + k) mod P.
    # For one fan the posts differ as long as k < P, so no (post, fan) pair repeats.
    fan = f"(i % {scale.fans})"
    post = f"({post0} + ({fan} * 7919 + i / {scale.fans}) % {regular})"
    select = f"{post}, {fan0} + {fan}, {sql.seconds_ago(_mix('i', SPAN))}, 1, 1.0"
    for lo, hi in _chunked(scale.votes, 500_000):
        sql.insert_series(_table(Vote), columns, select, lo, hi)
        progress.step(hi - lo + 1, f"votes {hi + 1:,}")
    if not scale.shipped_posts:
        return
    # Shipped voters: pair j is post j mod S, and fans (r + 997 p) mod F for its r-th voter.
    n = scale.shipped_posts
    pair = f"{friday0} + i % {n}, {fan0} + (i / {n} + (i % {n}) * 997) % {scale.fans}"
    for lo, hi in _chunked(scale.shipped_voters, 500_000):
        sql.insert_series(
            _table(Vote), columns, f"{pair}, {sql.seconds_ago(_mix('i', 30 * DAY))}, 1, 1.0", lo, hi
        )
        # Voting follows the post (see cast_vote): the voters are followers too.
        sql.insert_series(
            _table(Subscription),
            "post_id, fan_id, active, created_at",
            f"{pair}, TRUE, {sql.seconds_ago(_mix('i', 30 * DAY))}",
            lo,
            hi,
        )
        progress.step(2 * (hi - lo + 1), f"shipped voters {hi + 1:,}")


_TOPICS = [
    "Mute the microphone while recording",
    "Dark mode for the recordings list",
    "Crash when a call interrupts a recording",
    "Share a clip from the middle of a recording",
    "Bigger pause button on the lock screen",
    "Cloud backup of recordings over Wi-Fi only",
    "Battery drain with the waveform open",
    "Rename recordings from the notification",
]


def _insert_posts(
    sql: _Sql,
    product: Product,
    first: int,
    count: int,
    fan0: int,
    fans: int,
    counted_after: datetime,
    progress: Progress,
    *,
    shipped: bool = False,
) -> None:
    """Insert `count` posts with ids first.. and their counters read from their vote rows."""
    if count <= 0:
        return
    topic = "CASE i % 8 " + " ".join(f"WHEN {n} THEN '{t}'" for n, t in enumerate(_TOPICS))
    topic += " END"
    title = f"({topic}) || ' (#' || i || ')'"
    created = sql.seconds_ago(f"{8 * DAY} + {_mix('i', SPAN - 8 * DAY)}")
    cutoff = sql.seconds_ago("0").replace(sql.now, _literal(sql, counted_after))
    vote = _table(Vote)
    status, shipped_at = (
        ("'shipped'", sql.seconds_ago(str(8 * DAY))) if shipped else ("'open'", "NULL")
    )
    hot = "0"
    if sql.pg:
        hot = (
            "round((log(greatest(coalesce(c.n, 0), 1)::numeric)"
            f" + extract(epoch FROM p.created_at - TIMESTAMPTZ '{HOT_EPOCH.isoformat()}')"
            f" / {HOT_DECADE_SECONDS})::numeric, 7)::double precision"
        )
    values = {
        "id": "p.id",
        "product_id": str(product.pk),
        "author_id": "p.author_id",
        "kind": "p.kind",
        "title": "p.title",
        "body": "'Generated for the benchmark.'",
        "body_html": "'<p>Generated for the benchmark.</p>'",
        "status": status,
        "created_at": "p.created_at",
        "updated_at": "p.created_at",
        "shipped_at": shipped_at,
        "votes_count": "coalesce(c.n, 0)",
        "trending_votes": "coalesce(c.t, 0)",
        "hot_score": hot,
        "search_title": "p.title",
        "search_body": "'Generated for the benchmark.'",
    }
    columns, row = _row(Post, values)
    for lo, hi in _chunked(count, 100_000):
        # The post's fields as a derived table p, its vote counts as c.
        inner = (
            f"SELECT {first} + i AS id, {fan0} + {_mix('i', fans)} AS author_id,"
            f" CASE i % 3 WHEN 0 THEN 'idea' WHEN 1 THEN 'bug' ELSE 'discussion' END AS kind,"
            f" {title} AS title, {created} AS created_at"
        )
        series = f"FROM generate_series({lo}::bigint, {hi}::bigint) AS g(i)" if sql.pg else "FROM g"
        select = (
            f"{row} FROM ({inner} {series}) p LEFT JOIN ("
            f"SELECT post_id, COUNT(*) AS n,"
            f" SUM(CASE WHEN created_at > {cutoff} THEN 1 ELSE 0 END) AS t FROM {vote}"
            f" WHERE post_id BETWEEN {first + lo} AND {first + hi} GROUP BY post_id"
            ") c ON c.post_id = p.id"
        )
        statement = f"INSERT INTO {_table(Post)} ({columns}) SELECT {select}"
        if not sql.pg:
            statement = (
                f"WITH RECURSIVE g(i) AS (SELECT {lo} UNION ALL SELECT i + 1 FROM g"
                f" WHERE i < {hi}) {statement} WHERE TRUE"
            )
        with connection.cursor() as cursor:
            cursor.execute(statement)
        progress.step(2 * (hi - lo + 1), f"{product.slug} posts {hi + 1:,}")


def _literal(sql: _Sql, instant: datetime) -> str:
    stamp = instant.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    return f"TIMESTAMPTZ '{stamp}+00:00'" if sql.pg else f"'{stamp}'"


def _set_hot_scores_in_python(first: int, last: int) -> None:
    """SQLite (small scales): the same formula as every vote uses."""
    posts = Post.objects.filter(pk__range=(first, last)).values_list(
        "pk", "votes_count", "created_at"
    )
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {_table(Post)} SET hot_score = %s WHERE id = %s",
            [(hot_score(votes, created), pk) for pk, votes, created in posts],
        )


def _insert_tokens(scale: Scale, fan0: int, now: datetime, progress: Progress) -> None:
    for lo, hi in _chunked(scale.tokens, 10_000):
        ApiToken.objects.bulk_create(
            [
                ApiToken(
                    user_id=fan0 + i,
                    name="bench",
                    token_hash=hash_token(token_for(i)),
                    hint=token_for(i)[:10],
                    created_at=now,
                    last_used_at=now,
                )
                for i in range(lo, hi + 1)
            ],
            batch_size=2000,
        )
        progress.step(hi - lo + 1, f"tokens {hi + 1:,}")


def check(*, hot: bool = True) -> dict[str, int]:
    """Posts whose stored counters disagree with their vote rows (0 everywhere is right)."""
    window = TrendingWindow.objects.get(pk=1)
    vote, post = _table(Vote), _table(Post)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {post} p LEFT JOIN (SELECT post_id, COUNT(*) AS n,"
            f" SUM(CASE WHEN created_at > %s THEN 1 ELSE 0 END) AS t FROM {vote}"
            " GROUP BY post_id) c ON c.post_id = p.id"
            " WHERE p.votes_count <> coalesce(c.n, 0) OR p.trending_votes <> coalesce(c.t, 0)",
            [connection.ops.adapt_datetimefield_value(window.counted_after)],
        )
        (wrong,) = cursor.fetchone()
    if not hot:
        return {"counts_wrong": wrong}
    bad_hot = sum(
        1
        for votes, created, stored in Post.objects.values_list(
            "votes_count", "created_at", "hot_score"
        ).iterator(chunk_size=10_000)
        if not math.isclose(stored, hot_score(votes, created), abs_tol=1e-6)
    )
    return {"counts_wrong": wrong, "hot_wrong": bad_hot}


# What a signed-in fan's pages show in the benchmark: fan 0 has voted for some of the hot
# posts on the first page of the main board, and one post has a discussion of this length.
FAN_VOTES_ON_FIRST_PAGE = 5
DISCUSSION_COMMENTS = 20
DISCUSSION_TITLE = "A post with a discussion (bench)"


def signed_in_cookie(fan: User) -> str:
    """A `Cookie` header of `fan`'s session, logged in as the login view does it (the first
    authentication backend: a session naming another one is not signed in)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(fan.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = fan.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def greets(page: str, fan: User) -> bool:
    """Whether `page` is served to `fan` signed in: its header names them and offers to
    log out (a visitor's page has neither)."""
    from django.utils.html import escape

    named = f'translate="no">{escape(fan.shown_name)}</span></a>' in page
    return named and 'action="/accounts/logout/"' in page


def prepare_fan_pages(fan: User) -> Post:
    """Fan `fan` votes for some posts of the main board's first page (hot), and one post
    of the main board gets its discussion; returns that post. Done once: the second time
    it finds them there."""
    from orangefriday.board.actions import add_comment, create_post
    from orangefriday.board.ranked import BoardFilter, board_posts
    from orangefriday.voting.actions import cast_vote

    product = Product.objects.get(slug=MAIN)
    hot = board_posts(BoardFilter(product_id=product.pk, sort="hot"))[:20]
    for post in list(hot)[1::4][:FAN_VOTES_ON_FIRST_PAGE]:
        if not Vote.objects.filter(post=post, fan=fan).exists():
            cast_vote(fan=fan, post_id=post.pk)
    found = Post.objects.filter(product=product, title=DISCUSSION_TITLE).first()
    post = found or create_post(
        author=fan,
        product=product,
        kind="idea",
        title=DISCUSSION_TITLE,
        body="What the fans said about it, below.",
        limited=False,
    )
    commenters = list(User.objects.filter(pk__gt=fan.pk).order_by("pk")[:DISCUSSION_COMMENTS])
    for number, commenter in enumerate(commenters[post.comments.count() :], start=1):
        body = f"Comment {number}: **yes**, and it should remember the last setting."
        add_comment(author=commenter, post=post, body=body, limited=False)
    return post
