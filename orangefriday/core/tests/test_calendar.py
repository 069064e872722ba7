from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from orangefriday.core.calendar import (
    cut_instant,
    due_friday,
    internal_version,
    last_cut_friday,
    local_date,
    local_midnight,
    next_cut,
    version_for,
    week_number,
    week_start,
)


def test_the_week_starts_on_the_products_monday_not_the_servers():
    # Sunday 20:00 UTC is already Monday 04:00 in Shanghai.
    sunday_evening_utc = datetime(2026, 11, 22, 20, 0, tzinfo=UTC)
    assert week_start(sunday_evening_utc, "UTC") == date(2026, 11, 16)
    assert week_start(sunday_evening_utc, "Asia/Shanghai") == date(2026, 11, 23)


def test_local_date_and_midnight_round_trip():
    now = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # the night Berlin moves to summer time
    day = local_date(now, "Europe/Berlin")
    assert day == date(2026, 3, 29)
    assert local_midnight(day, "Europe/Berlin") <= now


def test_naive_times_are_refused():
    with pytest.raises(ValueError):
        week_start(datetime(2026, 1, 1), "UTC")


# The Friday developer cut ------------------------------------------------------------------

SHANGHAI = "Asia/Shanghai"


def at(zone: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone))  # type: ignore[arg-type,misc]


def test_versions_are_the_fridays_date_without_padding():
    assert version_for(date(2026, 11, 27)) == "26.11.27"
    assert version_for(date(2014, 6, 13)) == "14.6.13"  # MIUI's 4.6.13, by year of century
    assert version_for(date(2030, 1, 4)) == "30.1.4"
    assert internal_version(date(2026, 11, 24), 1) == "26.11.24-internal.1"
    assert internal_version(date(2026, 11, 24), 12) == "26.11.24-internal.12"
    with pytest.raises(ValueError):
        internal_version(date(2026, 11, 24), 0)


def test_the_cut_is_17_00_local_time_on_both_sides_of_a_dst_change():
    # Berlin: UTC+1 in winter, UTC+2 in summer; the cut stays at 17:00 on the wall clock.
    assert cut_instant(date(2026, 3, 20), "Europe/Berlin") == datetime(2026, 3, 20, 16, tzinfo=UTC)
    assert cut_instant(date(2026, 4, 3), "Europe/Berlin") == datetime(2026, 4, 3, 15, tzinfo=UTC)
    # New York: UTC-4 until 1 Nov 2026, UTC-5 after.
    assert cut_instant(date(2026, 10, 30), "America/New_York") == datetime(
        2026, 10, 30, 21, tzinfo=UTC
    )
    assert cut_instant(date(2026, 11, 6), "America/New_York") == datetime(
        2026, 11, 6, 22, tzinfo=UTC
    )
    assert cut_instant(date(2026, 11, 27), SHANGHAI) == datetime(2026, 11, 27, 9, tzinfo=UTC)
    with pytest.raises(ValueError):
        cut_instant(date(2026, 11, 26), SHANGHAI)  # a Thursday


@pytest.mark.parametrize(
    ("wall", "expected"),
    [
        ((16, 59, 59, 999_999), date(2026, 11, 20)),  # not yet: last week's Friday
        ((17, 0, 0, 0), date(2026, 11, 27)),  # 17:00 sharp: this Friday
        ((17, 0, 0, 1), date(2026, 11, 27)),
    ],
)
def test_the_due_friday_turns_at_17_00_sharp(wall, expected):
    now = at(SHANGHAI, 2026, 11, 27, *wall)
    assert due_friday(now, SHANGHAI) == expected
    assert last_cut_friday(now, SHANGHAI) == expected
    # The same instant seen from any other zone gives the same answer.
    assert due_friday(now.astimezone(UTC), SHANGHAI) == expected
    assert due_friday(now.astimezone(ZoneInfo("Etc/GMT-14")), SHANGHAI) == expected


def test_the_due_friday_through_the_week():
    assert due_friday(at(SHANGHAI, 2026, 11, 28, 9), SHANGHAI) == date(2026, 11, 27)  # Saturday
    assert due_friday(at(SHANGHAI, 2026, 12, 3, 23), SHANGHAI) == date(2026, 11, 27)  # Thursday
    assert due_friday(at(SHANGHAI, 2026, 12, 4, 17), SHANGHAI) == date(2026, 12, 4)


def test_a_friday_is_due_by_the_products_clock_not_the_servers():
    # Friday 17:30 in Shanghai is still Friday 09:30 in UTC, and 03:30 in New York.
    now = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
    assert due_friday(now, SHANGHAI) == date(2026, 11, 27)
    assert due_friday(now, "America/New_York") == date(2026, 11, 20)


def test_holiday_fridays_are_skipped():
    national_day = {date(2026, 10, 2)}
    now = at(SHANGHAI, 2026, 10, 2, 17, 0)
    assert due_friday(now, SHANGHAI, national_day) == date(2026, 9, 25)
    assert last_cut_friday(now, SHANGHAI) == date(2026, 10, 2)
    assert next_cut(at(SHANGHAI, 2026, 9, 28, 9), SHANGHAI, national_day) == at(
        SHANGHAI, 2026, 10, 9, 17
    )
    assert next_cut(at(SHANGHAI, 2026, 9, 28, 9), SHANGHAI) == at(SHANGHAI, 2026, 10, 2, 17)


def test_the_next_cut_right_at_the_cut_is_a_week_later():
    assert next_cut(at(SHANGHAI, 2026, 11, 27, 17), SHANGHAI) == at(SHANGHAI, 2026, 12, 4, 17)
    assert next_cut(at(SHANGHAI, 2026, 11, 27, 16, 59), SHANGHAI) == at(SHANGHAI, 2026, 11, 27, 17)


def test_week_numbers_count_calendar_weeks_from_the_first_build():
    first = date(2026, 1, 2)
    assert week_number(first, first) == 1
    assert week_number(date(2026, 1, 9), first) == 2
    # Holiday weeks count: a year later it is week 53 whatever was skipped.
    assert week_number(date(2026, 12, 25), first) == 52
    assert week_number(date(2027, 1, 1), first) == 53


def test_the_cut_needs_an_aware_now():
    with pytest.raises(ValueError):
        due_friday(datetime(2026, 11, 27, 17), SHANGHAI)
