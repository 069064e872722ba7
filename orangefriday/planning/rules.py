"""The planning rules as pure functions: no database, every `now` passed in.

queries.py turns the same rules into SQL; a test checks that both agree.
"""

from datetime import date, datetime

from orangefriday.board.models import Status
from orangefriday.core.calendar import local_midnight, week_start

# "Two or three engineers" (DESIGN.md §2). One engineer alone is not a team: the point of
# the weekly plan is that nobody ships alone and a claim survives one person's sick day.
MIN_MEMBERS = 2
MAX_MEMBERS = 3
# Zero pauses a team (holidays) without dissolving it; more than this is not a weekly plan.
MAX_CAPACITY = 20

# What a team may claim: posts nobody is building yet.
CLAIMABLE_STATUSES = (Status.OPEN, Status.UNDER_REVIEW, Status.PLANNED)
# A claimed post that ended up here no longer holds a slot (nothing will ship).
DROPPED_STATUSES = (Status.DECLINED, Status.DUPLICATE)


def week_begins(now: datetime, time_zone: str) -> datetime:
    """The instant the product's current week began (Monday 00:00 local time)."""
    return local_midnight(week_start(now, time_zone), time_zone)


def counts_toward_load(*, status: str, shipped_at: datetime | None, week_began: datetime) -> bool:
    """Whether a team's claim holds one of its slots in the week that began at `week_began`.

    Unshipped work rolls over and keeps its slot until it ships (or is dropped); shipped
    work counts in the week it shipped and frees nothing before the next week."""
    if shipped_at is not None:
        return shipped_at >= week_began
    return status not in DROPPED_STATUSES


def is_claimable(status: str) -> bool:
    return status in CLAIMABLE_STATUSES


def is_rolled_over(claimed_for: date, this_week: date) -> bool:
    """A claim made for an earlier week that is still being built."""
    return claimed_for < this_week


def team_size_problem(size: int) -> str | None:
    """Why a team of `size` distinct members is refused, or None."""
    if size < MIN_MEMBERS or size > MAX_MEMBERS:
        return f"A team has {MIN_MEMBERS} or {MAX_MEMBERS} members, not {size}."
    return None


def capacity_problem(capacity: int) -> str | None:
    if capacity < 0 or capacity > MAX_CAPACITY:
        return f"The weekly capacity is a number from 0 to {MAX_CAPACITY}."
    return None


def free_slots(*, load: int, capacity: int) -> int:
    """Slots left this week; never negative (capacity may be lowered below the load)."""
    return max(capacity - load, 0)
