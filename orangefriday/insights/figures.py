"""The insights' arithmetic as plain functions (no database): weeks, medians, shares."""

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from statistics import median

from orangefriday.core.calendar import week_start


def mondays(now: datetime, time_zone: str, weeks: int) -> list[date]:
    """The Mondays of the last `weeks` product weeks, oldest first, this week last."""
    this = week_start(now, time_zone)
    return [this - timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]


def days_between(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 86400


def median_days(lead_times: Sequence[float]) -> float | None:
    """The median lead time, in days; None without any."""
    return round(median(lead_times), 1) if lead_times else None


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None
