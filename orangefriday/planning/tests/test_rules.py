"""The planning rules without a database."""

from datetime import UTC, date, datetime, timedelta

import pytest

from orangefriday.planning.rules import (
    capacity_problem,
    counts_toward_load,
    free_slots,
    is_claimable,
    is_rolled_over,
    team_size_problem,
    week_begins,
)

# Monday 30 November 2026, 00:00 in Shanghai, is still Sunday 16:00 in UTC.
SHANGHAI_MONDAY = datetime(2026, 11, 29, 16, 0, tzinfo=UTC)


def test_the_week_begins_at_the_products_monday_midnight():
    sunday_night = datetime(2026, 11, 29, 15, 30, tzinfo=UTC)  # 23:30 in Shanghai
    assert week_begins(sunday_night, "Asia/Shanghai") == SHANGHAI_MONDAY - timedelta(days=7)
    assert week_begins(SHANGHAI_MONDAY, "Asia/Shanghai") == SHANGHAI_MONDAY
    # The same instant is still the old week on a UTC product.
    assert week_begins(SHANGHAI_MONDAY, "UTC") == datetime(2026, 11, 23, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "shipped_at", "counts"),
    [
        ("in_progress", None, True),  # being built, whatever week it was claimed in
        ("planned", None, True),  # moved back by hand but still claimed
        ("shipped", SHANGHAI_MONDAY, True),  # shipped at the very first instant of the week
        ("shipped", SHANGHAI_MONDAY + timedelta(days=4), True),
        ("shipped", SHANGHAI_MONDAY - timedelta(microseconds=1), False),  # last week's
        ("declined", None, False),
        ("duplicate", None, False),
    ],
)
def test_what_holds_a_slot_this_week(status, shipped_at, counts):
    assert counts_toward_load(status=status, shipped_at=shipped_at, week_began=SHANGHAI_MONDAY) is (
        counts
    )


@pytest.mark.parametrize(
    ("status", "claimable"),
    [
        ("open", True),
        ("under_review", True),
        ("planned", True),
        ("in_progress", False),
        ("shipped", False),
        ("declined", False),
        ("duplicate", False),
    ],
)
def test_only_posts_nobody_builds_are_claimable(status, claimable):
    assert is_claimable(status) is claimable


def test_a_team_has_two_or_three_members():
    assert team_size_problem(1) == "A team has 2 or 3 members, not 1."
    assert team_size_problem(2) is None
    assert team_size_problem(3) is None
    assert team_size_problem(4)
    assert team_size_problem(0)


def test_capacity_and_free_slots():
    assert capacity_problem(0) is None  # a team on holiday
    assert capacity_problem(20) is None
    assert capacity_problem(21) and capacity_problem(-1)
    assert free_slots(load=1, capacity=3) == 2
    assert free_slots(load=4, capacity=3) == 0  # capacity lowered below the load


def test_rolled_over_means_claimed_for_an_earlier_week():
    assert is_rolled_over(date(2026, 11, 23), date(2026, 11, 30))
    assert not is_rolled_over(date(2026, 11, 30), date(2026, 11, 30))
