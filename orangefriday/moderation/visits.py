"""The days a fan visits and about how long they stay: two of the figures trust levels are
earned by (Discourse's "days visited" and "time spent reading").

Each web process notes its signed-in fans' requests in memory and writes a fan's day at
most once a minute (and at the first request of each day), so a busy fan costs a write a
minute, not one a request. Time between two requests counts when they are at most
SESSION_GAP apart: a fan who left and came back later is not counted for the time away.
A process that stops loses at most its last minute of each fan's time.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .models import FanDay

SESSION_GAP = timedelta(minutes=10)
WRITE_EVERY = timedelta(minutes=1)


@dataclass
class _Seen:
    day: date
    last: datetime
    written: datetime
    unsaved: float = 0.0


_seen: dict[int, _Seen] = {}
_lock = threading.Lock()


def note_visit(fan_id: int, now: datetime) -> None:
    """Count this request of the fan's (see the module's docstring)."""
    day = now.date()
    with _lock:
        seen = _seen.get(fan_id)
        if seen is None or seen.day != day:
            pending = seen
            _seen[fan_id] = _Seen(day=day, last=now, written=now)
            to_write = [(day, 0.0)]
            if pending is not None and pending.unsaved:
                to_write.append((pending.day, pending.unsaved))
        else:
            gap = now - seen.last
            if timedelta(0) < gap <= SESSION_GAP:
                seen.unsaved += gap.total_seconds()
            seen.last = now
            if now - seen.written < WRITE_EVERY or not seen.unsaved:
                return
            to_write = [(day, seen.unsaved)]
            seen.unsaved, seen.written = 0.0, now
    for written_day, seconds in to_write:
        _add(fan_id, written_day, int(seconds))


def _add(fan_id: int, day: date, seconds: int) -> None:
    # One statement (one round trip, one commit), not get_or_create's five: a fan's first
    # request of the day (the first of every new fan voting in a rush) pays it.
    table = connection.ops.quote_name(FanDay._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (fan_id, day, seconds) VALUES (%s, %s, %s)"
            " ON CONFLICT (fan_id, day) DO UPDATE SET"
            f" seconds = {table}.seconds + excluded.seconds",
            [fan_id, connection.ops.adapt_datefield_value(day), seconds],
        )


def forget_visits() -> None:
    """Tests: start with no fan seen."""
    with _lock:
        _seen.clear()


class VisitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # After the view: the API's token authentication sets the fan during it. A failed
        # request (the database down, say) is not a visit, and must not fail again here.
        user = getattr(request, "user", None)
        if response.status_code < 500 and user is not None and user.is_authenticated:
            note_visit(user.pk, timezone.now())
        return response
