"""The product's week, as pure functions: every `now` is passed in and time-zone aware.

Products live in their own time zone (default Asia/Shanghai); the server's clock zone never
matters, because every local time is computed with zoneinfo from an aware instant.
"""

from collections.abc import Collection
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def local_date(now: datetime, time_zone: str) -> date:
    """The calendar date at `now` in the product's time zone."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(ZoneInfo(time_zone)).date()


def week_start(now: datetime, time_zone: str) -> date:
    """The Monday of the product's week containing `now`."""
    today = local_date(now, time_zone)
    return today - timedelta(days=today.weekday())


def local_midnight(day: date, time_zone: str) -> datetime:
    """The instant a local day begins, as an aware datetime."""
    return datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(time_zone))


# The weekly developer build: every Friday at 17:00, product time (MIUI's hour, Beijing time).
CUT_WEEKDAY = 4  # Friday (Monday is 0)
CUT_TIME = time(17, 0)
# How far back `due_friday` looks for a Friday that is not a holiday (ten years of weeks).
_MAX_WEEKS_BACK = 520


def cut_instant(friday: date, time_zone: str) -> datetime:
    """The instant of a Friday's developer cut: 17:00 on that day in the product's zone.

    zoneinfo gives the offset in force on that very date, so the cut stays at 17:00 local
    time across daylight-saving changes (and moves in UTC instead).
    """
    if friday.weekday() != CUT_WEEKDAY:
        raise ValueError(f"{friday} is not a Friday")
    return datetime.combine(friday, CUT_TIME, tzinfo=ZoneInfo(time_zone))


def version_for(day: date) -> str:
    """A build's name from its date, `YY.M.D` without zero padding: 2026-11-27 -> "26.11.27"
    (like MIUI's 4.6.13)."""
    return f"{day.year % 100}.{day.month}.{day.day}"


def internal_version(day: date, number: int) -> str:
    """The `number`th internal build of a day: "26.11.24-internal.1"."""
    if number < 1:
        raise ValueError("internal builds are numbered from 1")
    return f"{version_for(day)}-internal.{number}"


def last_cut_friday(now: datetime, time_zone: str) -> date:
    """The most recent Friday whose 17:00 cut is at or before `now`, holidays or not."""
    today = local_date(now, time_zone)
    friday = today - timedelta(days=(today.weekday() - CUT_WEEKDAY) % 7)
    if cut_instant(friday, time_zone) > now:
        friday -= timedelta(weeks=1)
    return friday


def due_friday(
    now: datetime, time_zone: str, holidays: Collection[date] = frozenset()
) -> date | None:
    """The Friday whose developer build should exist at `now`: the most recent Friday whose
    17:00 cut has come, skipping Fridays that are holidays (a holiday week has no build).

    At 16:59:59.999999 on a Friday this is still the Friday before; at 17:00:00 it is that
    Friday. None only if every Friday of the last ten years was a holiday.
    """
    friday = last_cut_friday(now, time_zone)
    for _ in range(_MAX_WEEKS_BACK):
        if friday not in holidays:
            return friday
        friday -= timedelta(weeks=1)
    return None


def next_cut(now: datetime, time_zone: str, holidays: Collection[date] = frozenset()) -> datetime:
    """The instant of the next developer cut after `now` (holidays skipped)."""
    friday = last_cut_friday(now, time_zone) + timedelta(weeks=1)
    while friday in holidays:
        friday += timedelta(weeks=1)
    return cut_instant(friday, time_zone)


def week_number(friday: date, first_friday: date) -> int:
    """ "Week N" of a developer build: consecutive calendar weeks since the product's first
    developer build, which is week 1. Holiday weeks count although they have no build, so
    the number always matches the calendar (week 5, a skipped week, then week 7)."""
    return max((friday - first_friday).days // 7, 0) + 1


# The four-grid feedback window: from publishing until the following Tuesday 24:00.
FEEDBACK_LAST_WEEKDAY = 1  # Tuesday


def feedback_closes(published_at: datetime, time_zone: str) -> datetime:
    """When a build's feedback window closes: 24:00 (that is, the next day's 00:00) of the
    first Tuesday after the day it was published, product time. A Friday build gets until
    Tuesday night, as MIUI's fans had; a build published on a Tuesday gets a whole week
    rather than a few hours."""
    published_on = local_date(published_at, time_zone)
    days = (FEEDBACK_LAST_WEEKDAY - published_on.weekday() - 1) % 7 + 1
    return local_midnight(published_on + timedelta(days=days + 1), time_zone)


def feedback_open(published_at: datetime | None, now: datetime, time_zone: str) -> bool:
    """Whether fans may file or change a report at `now` (never before publishing)."""
    if published_at is None:
        return False
    return published_at <= now < feedback_closes(published_at, time_zone)
