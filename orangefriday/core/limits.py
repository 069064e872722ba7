"""Rate limits: counters in a store that every web process shares.

The counting is the `limits` library's fixed window (a counter per key that starts with its
first hit and expires after the window). Its store is Redis when `REDIS_URL` (or `CACHE_URL`)
names one, through the library's own Redis storage (an atomic Lua script); otherwise it is
this database, through `DatabaseStorage` below, whose increment is one atomic upsert. (The
library has no Django storage, and Django's DatabaseCache cannot serve: its `incr` reads and
then writes, so two processes counting at once lose counts.)

One call for any app: `hit("post", rates, fan.pk)` raises `RateLimited` (a ValidationError:
forms show it where the eye is; the API answers 429 with `Retry-After`) once any of `rates`
is used up. A refused hit is taken back, so the counters count what was let through.
"""

import hashlib
import math
import threading
import time
from datetime import timedelta
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.utils.translation import gettext, ngettext
from limits import RateLimitItem, parse_many
from limits.storage import Storage, storage_from_string

from .models import RateCounter
from .redisurl import first_redis_url


class RateLimited(ValidationError):
    """Too many of one thing too fast; `retry_after` is in whole seconds."""

    def __init__(self, message: str, *, retry_after: int, field: str | None = None) -> None:
        self.retry_after = max(retry_after, 1)
        super().__init__({field: message} if field else message)


class DatabaseStorage(Storage):
    """The `limits` storage for this project's own database (the `make run` default).

    One row per key: the count and when its window ends (epoch seconds). An increment is a
    single INSERT … ON CONFLICT DO UPDATE … RETURNING, atomic on PostgreSQL (the row is
    locked by the upsert) and on SQLite (one writer at a time), so concurrent processes
    never lose a count. Python's clock decides expiry, so tests can move it.
    """

    STORAGE_SCHEME = ["orangefriday-db"]
    # Expired rows are deleted once every this many increments of a process.
    PRUNE_EVERY = 1000

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: object):
        super().__init__(uri, wrap_exceptions)
        self._increments = 0

    @property
    def base_exceptions(self) -> type[Exception]:
        return DatabaseError

    def _table(self) -> str:
        return connection.ops.quote_name(RateCounter._meta.db_table)

    @staticmethod
    def _key(key: str) -> str:
        # An e-mail address or a long user agent must not make a key over the column's size.
        return key if len(key) <= 200 else hashlib.sha256(key.encode()).hexdigest()

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        return self.incr_many([(key, expiry)], amount)[0]

    def incr_many(self, windows: list[tuple[str, int]], amount: int = 1) -> list[int]:
        """Count `amount` on each (key, expiry) in one statement (one round trip and, outside
        a transaction, one commit, however many windows); the counts in the same order."""
        now = time.time()
        table = self._table()
        keys = [self._key(key) for key, _ in windows]
        rows = ", ".join(["(%s, %s, %s)"] * len(windows))
        values = [
            v
            for key, (_, expiry) in zip(keys, windows, strict=True)
            for v in (key, amount, now + expiry)
        ]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (key, count, expires_at) VALUES {rows}"
                f" ON CONFLICT (key) DO UPDATE SET"
                f" count = CASE WHEN {table}.expires_at <= %s THEN excluded.count"
                f" ELSE {table}.count + excluded.count END,"
                f" expires_at = CASE WHEN {table}.expires_at <= %s THEN excluded.expires_at"
                f" ELSE {table}.expires_at END"
                " RETURNING key, count",
                [*values, now, now],
            )
            counts = dict(cursor.fetchall())  # RETURNING keeps no order
        self._increments += 1
        if self._increments % self.PRUNE_EVERY == 0:
            RateCounter.objects.filter(expires_at__lte=now).delete()
        return [int(counts[key]) for key in keys]

    def _row(self, key: str) -> RateCounter | None:
        return RateCounter.objects.filter(key=self._key(key), expires_at__gt=time.time()).first()

    def get(self, key: str) -> int:
        row = self._row(key)
        return row.count if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row.expires_at if row else time.time()

    def check(self) -> bool:
        return True

    def reset(self) -> int | None:
        return RateCounter.objects.all().delete()[0]

    def clear(self, key: str) -> None:
        RateCounter.objects.filter(key=self._key(key)).delete()


def redis_url() -> str:
    """The Redis that holds the counters, or "" for the database."""
    return first_redis_url(settings.REDIS_URL, settings.CACHE_URL)


_stores: dict[tuple[str, str], Storage] = {}
# The first requests of a threaded worker arrive together: the library loads its Redis
# client lazily, and a second thread that saw it half-loaded would fail.
_stores_lock = threading.Lock()


def storage() -> Storage:
    """The shared store of every counter (see the module's docstring), one per process."""
    place = (redis_url(), settings.RATE_LIMIT_KEY_PREFIX)
    with _stores_lock:
        if place not in _stores:
            url, prefix = place
            store = storage_from_string(url, key_prefix=prefix) if url else DatabaseStorage()
            assert isinstance(store, Storage)  # the synchronous one, not limits.aio's
            _stores[place] = store
        return _stores[place]


@cache
def parse_rates(rates: str) -> tuple[RateLimitItem, ...]:
    """ "5/minute;30/day" as limits; "" or "off" is no limit at all."""
    if rates.strip().lower() in ("", "off"):
        return ()
    return tuple(parse_many(rates))


def scaled(rates: str, factor: float) -> str:
    """The same windows with each amount times `factor`, never below one."""
    return ";".join(
        f"{max(1, math.floor(item.amount * factor))}/{item.multiples} {item.GRANULARITY.name}"
        for item in parse_rates(rates)
    )


def retry_message(what: str, retry_after: int) -> str:
    """ "Too many posts: try again in 14 minutes (at 10:32 UTC)." """
    now = timezone.now()
    at = now + timedelta(seconds=retry_after)
    # Measured from the same `now`: a fresh 15-minute lock reads "15 minutes", not "14".
    wait = (
        timeuntil(at, now).replace("\xa0", " ")
        if retry_after >= 60
        else ngettext("%(n)s second", "%(n)s seconds", retry_after) % {"n": retry_after}
    )
    # The time in the fan's zone (the one the request activated), named.
    local = timezone.localtime(at)
    return gettext("%(what)s: try again in %(wait)s (at %(at)s %(zone)s).") % {
        "what": what,
        "wait": wait,
        "at": f"{local:%H:%M}",
        "zone": timezone.get_current_timezone_name(),
    }


def window_key(item: RateLimitItem, name: str, *identifiers: object) -> str:
    """One counter per thing, who and window; unlike the library's own key it leaves out the
    amount, so a fan whose share grows keeps counting where they were."""
    return "/".join(
        [name, *(str(i) for i in identifiers), f"{item.multiples}{item.GRANULARITY.name}"]
    )


def hit(
    name: str, rates: str, *identifiers: object, message: str, field: str | None = None
) -> None:
    """Count one `name` for `identifiers` against each of `rates`; over any of them, take
    the count back and raise RateLimited saying when to try again."""
    if not parse_rates(rates):  # "off": not even an empty transaction
        return
    store = storage()
    items = parse_rates(rates)
    keys = [window_key(item, name, *identifiers) for item in items]
    # Two rates of one window ("5/minute;9/minute") share its counter.
    windows = list({key: item.get_expiry() for key, item in zip(keys, items, strict=True)}.items())
    counts = dict(zip([key for key, _ in windows], _count(store, windows), strict=True))
    over = [key for key, item in zip(keys, items, strict=True) if counts[key] > item.amount]
    if not over:
        return
    retry_after = seconds_left(store, over[0])
    _count(store, windows, amount=-1)
    raise RateLimited(retry_message(message, retry_after), retry_after=retry_after, field=field)


def _count(store: Storage, windows: list[tuple[str, int]], amount: int = 1) -> list[int]:
    """Add `amount` to each window's counter: on the database all in one statement (an API
    call counts its token's limit and then its fan's, each a statement instead of a
    transaction of one per window); in Redis one atomic script each."""
    if isinstance(store, DatabaseStorage):
        return store.incr_many(windows, amount)
    return [store.incr(key, expiry, amount=amount) for key, expiry in windows]


def seconds_left(store: Storage, key: str) -> int:
    """Whole seconds until `key`'s window ends (at least 1)."""
    return max(math.ceil(store.get_expiry(key) - time.time()), 1)
