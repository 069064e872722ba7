"""The feedback window as pure functions: no database, any server clock."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from orangefriday.core.calendar import feedback_closes, feedback_open

SHANGHAI = "Asia/Shanghai"


def at(zone: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone))  # type: ignore[arg-type,misc]


@pytest.mark.parametrize(
    ("published", "closes"),
    [
        # Friday 17:00: until the following Tuesday 24:00.
        ((2026, 11, 27, 17), (2026, 12, 2)),
        # Published late on Monday by hand: the same Tuesday.
        ((2026, 11, 30, 23), (2026, 12, 2)),
        # Published on a Tuesday: the next Tuesday, not a few hours.
        ((2026, 12, 1, 9), (2026, 12, 9)),
        ((2026, 12, 2, 0), (2026, 12, 9)),
    ],
)
def test_the_window_closes_at_the_following_tuesday_24_00(published, closes):
    assert feedback_closes(at(SHANGHAI, *published), SHANGHAI) == at(SHANGHAI, *closes)


@pytest.mark.parametrize("seen_from", ["UTC", "Etc/GMT-14", "America/New_York"])
def test_the_edge_is_wednesday_00_00_product_time_whatever_the_servers_zone(seen_from):
    published = at(SHANGHAI, 2026, 11, 27, 17).astimezone(ZoneInfo(seen_from))
    last = at(SHANGHAI, 2026, 12, 1, 23, 59, 59, 999_999).astimezone(ZoneInfo(seen_from))
    wednesday = at(SHANGHAI, 2026, 12, 2, 0, 0).astimezone(ZoneInfo(seen_from))
    assert feedback_open(published, last, SHANGHAI)
    assert not feedback_open(published, wednesday, SHANGHAI)
    # Tuesday 23:59 in Shanghai is still Tuesday morning in UTC.
    assert wednesday == datetime(2026, 12, 1, 16, 0, tzinfo=UTC)


def test_not_open_before_publishing_or_when_never_published():
    published = at(SHANGHAI, 2026, 11, 27, 17)
    assert not feedback_open(published, at(SHANGHAI, 2026, 11, 27, 16, 59), SHANGHAI)
    assert feedback_open(published, published, SHANGHAI)
    assert not feedback_open(None, published, SHANGHAI)


def test_the_window_follows_the_products_wall_clock_across_dst():
    # New York leaves summer time on Sunday 1 Nov 2026: Tuesday 24:00 is 05:00 UTC, not 04:00.
    published = at("America/New_York", 2026, 10, 30, 17)
    closes = feedback_closes(published, "America/New_York")
    assert closes == datetime(2026, 11, 4, 5, 0, tzinfo=UTC)
    # Berlin: the window of the Friday before summer time closes at 22:00 UTC on Tuesday.
    assert feedback_closes(at("Europe/Berlin", 2026, 3, 27, 17), "Europe/Berlin") == datetime(
        2026, 3, 31, 22, 0, tzinfo=UTC
    )


def test_an_aware_publishing_time_is_required():
    with pytest.raises(ValueError):
        feedback_closes(datetime(2026, 11, 27, 17), SHANGHAI)
