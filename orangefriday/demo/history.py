"""The demo's weekly loop: two teams per product claim top posts on Monday, ship them during
the week, and every Friday at 17:00 (product time) the developer build carries them.

`LoopPlanner` decides it all in memory first (who claims what, when it ships, which build
carries it), so that the loader can place votes and replies around it. `Replay` then runs
the plan through the real actions, oldest first: planning's create_team / claim_post /
ship_claimed_post / release_claim, board's change_status, releases' cut_developer_build /
publish_build. Those actions stamp their rows with the wall clock; after each one the
replay moves what it wrote to the moment the plan says it happened (the clock itself is
not faked: time-machine is a development dependency, and `make run` loads the demo).
"""

import logging
import random
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Max, Model

from orangefriday.board.models import StatusChange
from orangefriday.core.calendar import cut_instant, due_friday, week_start
from orangefriday.core.events import dispatch
from orangefriday.core.models import Event as RecordedEvent
from orangefriday.notifications.models import Notification, OutboxEmail, Subscription
from orangefriday.planning.models import DEFAULT_WEEKLY_CAPACITY
from orangefriday.reputation.models import Entry, FoundingFan, Medal

# How many past weekly builds each product has.
HISTORY_BUILDS = 6
# Monday's planning: the teams claim the week's work after it.
PLANNING_TIME = time(10, 0)
# Teams take the most voted posts of their own categories, from the top few.
CHOICE_WIDTH = 4
BUILD_MIN, BUILD_MAX = 2, 5  # shipped posts per weekly build


def national_day_fridays(years: Iterable[int]) -> list[date]:
    """The Friday of China's National Day week (1 to 7 October): MIUI skipped that build."""
    fridays = []
    for year in years:
        day = date(year, 10, 1)
        fridays.append(day + timedelta(days=(4 - day.weekday()) % 7))
    return fridays


def past_fridays(
    now: datetime, time_zone: str, holidays: Collection[date], count: int
) -> list[date]:
    """The Fridays of the last `count` developer builds due by `now`, oldest first."""
    fridays: list[date] = []
    at = now
    while len(fridays) < count:
        friday = due_friday(at, time_zone, holidays)
        if friday is None:
            break
        fridays.append(friday)
        at = cut_instant(friday, time_zone) - timedelta(microseconds=1)
    return fridays[::-1]


def local(day: date, at: time, time_zone: str) -> datetime:
    return datetime.combine(day, at, tzinfo=ZoneInfo(time_zone))


# Planning -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A post the teams may claim, as the planner sees it."""

    key: int
    category: str | None
    votes: int
    created_at: datetime
    # Hand-written fates: shipped in the build of this Friday, or still in progress now.
    ship_in: date | None = None
    keep: bool = False
    # Who should be responsible for it, if they are in the team that claims it.
    engineer: str | None = None


@dataclass
class Work:
    """One claim and what became of it."""

    candidate: Candidate
    team: int
    engineer: str
    claimed_at: datetime
    week_start: date
    shipped_at: datetime | None = None
    build: date | None = None  # the Friday whose build carries it
    released_at: datetime | None = None

    @property
    def key(self) -> int:
        return self.candidate.key

    @property
    def forced(self) -> bool:
        return self.candidate.keep or self.candidate.ship_in is not None


@dataclass(frozen=True)
class TeamPlan:
    members: list[str]
    categories: list[str]
    capacity: int = DEFAULT_WEEKLY_CAPACITY


@dataclass
class LoopPlanner:
    """The weekly loop of one product from its first past build until `now`.

    Every team holds at most its capacity of claims in a week; a claim not shipped by Friday rolls
    into the next week (and ships then); every build carries BUILD_MIN to BUILD_MAX posts.
    In the last past week a team gives one claim back (it stays planned), and since the last
    cut a few claims have shipped for the coming Friday while the others are in progress.
    """

    rng: random.Random
    now: datetime
    time_zone: str
    holidays: Collection[date]
    fridays: list[date]
    teams: list[TeamPlan]
    candidates: list[Candidate]
    works: list[Work] = field(default_factory=list)
    held: dict[int, list[Work]] = field(default_factory=dict)
    taken: set[int] = field(default_factory=set)
    last_meeting: datetime | None = None

    def plan(self) -> list[Work]:
        self.held = {index: [] for index in range(len(self.teams))}
        self.pool = sorted(
            (c for c in self.candidates if c.ship_in is None and not c.keep),
            key=lambda c: (-c.votes, c.created_at, c.key),
        )
        history = set(self.fridays)
        monday = self.fridays[0] - timedelta(days=4)
        this_monday = week_start(self.now, self.time_zone)
        while monday <= this_monday:
            friday = monday + timedelta(days=4)
            # A holiday week (Golden Week) has no planning and no build; claims wait.
            if friday not in self.holidays:
                meeting = local(monday, PLANNING_TIME, self.time_zone) + timedelta(
                    minutes=self.rng.randint(0, 80)
                )
                if meeting < self.now - timedelta(minutes=30):
                    self.meet(monday, meeting, last=friday >= self.fridays[-1])
                if friday in history:
                    self.ship_week(monday, friday, last=friday == self.fridays[-1])
            monday += timedelta(weeks=1)
        self.ship_since_last_cut()
        return self.works

    # Monday ---------------------------------------------------------------------------------

    def claim_week(self, candidate: Candidate) -> date:
        friday = candidate.ship_in or self.fridays[-1]
        return friday - timedelta(days=4)

    def meet(self, monday: date, meeting: datetime, *, last: bool) -> None:
        self.last_meeting = meeting
        at = meeting
        for candidate in self.candidates:
            if not (candidate.ship_in or candidate.keep) or candidate.key in self.taken:
                continue
            if self.claim_week(candidate) != monday:
                continue
            if candidate.created_at > meeting - timedelta(days=1):
                continue
            team = self.team_for(candidate)
            if team is not None:
                at += timedelta(minutes=self.rng.randint(1, 6))
                self.claim(candidate, team, at, monday)
        order = list(self.held)
        self.rng.shuffle(order)
        for team in order:
            # The last weeks are busy: full teams, so that work is still in progress now.
            target = self.teams[team].capacity if last else self.rng.choice([1, 2, 2])
            while len(self.held[team]) < target:
                pick = self.pick(team, meeting)
                if pick is None:
                    break
                at += timedelta(minutes=self.rng.randint(1, 6))
                self.claim(pick, team, at, monday)

    def team_for(self, candidate: Candidate) -> int | None:
        with_room = [t for t in self.held if len(self.held[t]) < self.teams[t].capacity]
        for team in with_room:
            if candidate.category in self.teams[team].categories:
                return team
        return with_room[0] if with_room else None

    def pick(self, team: int, meeting: datetime) -> Candidate | None:
        ready = [
            c
            for c in self.pool
            if c.key not in self.taken and c.created_at <= meeting - timedelta(days=1)
        ]
        mine = [c for c in ready if c.category in self.teams[team].categories]
        top = (mine or ready)[:CHOICE_WIDTH]
        if not top:
            return None
        return self.rng.choices(top, weights=[(c.votes + 1) ** 2 for c in top])[0]

    def claim(self, candidate: Candidate, team: int, at: datetime, monday: date) -> None:
        members = self.teams[team].members
        engineer = candidate.engineer if candidate.engineer in members else self.rng.choice(members)
        work = Work(candidate, team, engineer, at, monday)
        self.taken.add(candidate.key)
        self.held[team].append(work)
        self.works.append(work)

    # Friday ---------------------------------------------------------------------------------

    def ship_week(self, monday: date, friday: date, *, last: bool) -> None:
        cut = cut_instant(friday, self.time_zone)
        if last:
            self.release_one(monday, cut)
        ships: dict[int, list[Work]] = {}
        rolls: dict[int, list[Work]] = {}
        for team, works in self.held.items():
            due = [
                w
                for w in works
                if w.candidate.ship_in == friday or (w.week_start < monday and not w.candidate.keep)
            ]
            optional = [w for w in works if w not in due and not w.forced]
            self.rng.shuffle(optional)
            if last:
                roll = min(len(optional), 1 if any(w.candidate.keep for w in works) else 2)
            else:
                roll = 1 if optional and self.rng.random() < 0.5 else 0
            ships[team] = due + optional[roll:]
            rolls[team] = optional[:roll]
        total = sum(len(s) for s in ships.values())
        while total > BUILD_MAX:
            team = max(ships, key=lambda t: sum(1 for w in ships[t] if w.week_start == monday))
            movable = [w for w in ships[team] if w.week_start == monday and not w.forced]
            if not movable:
                break
            ships[team].remove(movable[-1])
            rolls[team].append(movable[-1])
            total -= 1
        while total < BUILD_MIN:
            # Taken from the team that rolls the most, so that each keeps work in progress.
            team = max(rolls, key=lambda t: len(rolls[t]))
            if not rolls[team]:
                break
            ships[team].append(rolls[team].pop())
            total += 1
        start = local(monday + timedelta(days=1), time(9, 30), self.time_zone)
        end = cut - timedelta(minutes=45)
        for team, works in ships.items():
            for work in works:
                low = max(work.claimed_at + timedelta(hours=20), start)
                work.shipped_at = low + (end - low) * self.rng.random() if low < end else end
                work.build = friday
                self.held[team].remove(work)

    def release_one(self, monday: date, cut: datetime) -> None:
        """A team gives a claim back mid-week: it needs design work first."""
        fresh = {
            team: [w for w in works if w.week_start == monday and not w.forced]
            for team, works in self.held.items()
        }
        # The team with the most new claims gives one back, so that both keep enough work.
        team = max(fresh, key=lambda t: (len(fresh[t]), self.rng.random()))
        if not fresh[team]:
            return
        work = self.rng.choice(fresh[team])
        low = work.claimed_at + timedelta(days=1)
        work.released_at = low + (cut - timedelta(hours=3) - low) * self.rng.uniform(0.1, 0.6)
        self.held[work.team].remove(work)

    def ship_since_last_cut(self) -> None:
        """Work done since the last Friday: shipped, waiting for the coming Friday's cut."""
        last_cut = cut_instant(self.fridays[-1], self.time_zone)
        after = max(last_cut, self.last_meeting or last_cut)
        wanted = self.rng.choice([1, 2, 2, 3])
        order = list(self.held)
        self.rng.shuffle(order)
        shipped = 0
        for _ in range(max(team.capacity for team in self.teams)):
            for team in order:
                works = self.held[team]
                # Every team keeps at least one claim in progress.
                ready = [w for w in works if not w.candidate.keep]
                if shipped >= wanted or len(works) < 2 or not ready:
                    continue
                work = self.rng.choice(ready)
                low = max(after, work.claimed_at) + timedelta(seconds=1)
                if low >= self.now - timedelta(seconds=1):
                    return
                work.shipped_at = low + (self.now - low) * self.rng.uniform(0.2, 0.9)
                works.remove(work)
                shipped += 1


# Writing --------------------------------------------------------------------------------------

_STAMPED: list[tuple[type[Model], tuple[str, ...]]] = [
    (RecordedEvent, ("created_at",)),
    (StatusChange, ("created_at",)),
    (Notification, ("created_at",)),
    # The demo's emails are history: they count as sent when their event happened.
    (OutboxEmail, ("created_at", "sent_at")),
    (Subscription, ("created_at",)),
    # Points, medals and founding fans are written by consumers of the action's events.
    (Entry, ("created_at",)),
    (Medal, ("awarded_at",)),
    (FoundingFan, ("since",)),
]


def newest_pk(model: type[Model]) -> int:
    return model._default_manager.aggregate(top=Max("pk"))["top"] or 0


class Clock:
    """Moves the rows an action just wrote (by primary key) to the moment it happened."""

    def __init__(self) -> None:
        self.marks = {model: newest_pk(model) for model, _ in _STAMPED}

    def settle(self, at: datetime) -> None:
        for model, fields in _STAMPED:
            ids = list(
                model._default_manager.filter(pk__gt=self.marks[model]).values_list("pk", flat=True)
            )
            if ids:
                model._default_manager.filter(pk__in=ids).update(**dict.fromkeys(fields, at))
                self.marks[model] = max(ids)


@dataclass(order=True)
class Event:
    at: datetime
    order: int
    run: Callable[[datetime], None] = field(compare=False)


class Replay:
    """Actions to run oldest first, each followed by moving its rows to its moment."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def add(self, at: datetime, run: Callable[[datetime], None]) -> None:
        self.events.append(Event(at, len(self.events), run))

    def run(self) -> None:
        clock = Clock()
        with quiet("orangefriday.releases"):
            for event in sorted(self.events):
                event.run(event.at)
                dispatch()  # what the worker does after commit, at the same moment
                clock.settle(event.at)


@contextmanager
def quiet(logger_name: str) -> Iterator[None]:
    """The releases app logs every cut and publication; the demo's past ones are not news."""
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)
