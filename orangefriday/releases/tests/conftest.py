"""The release train's fixtures: a frozen clock in Sound Recorder's week, and shipped posts."""

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from orangefriday.accounts.models import User
from orangefriday.board.actions import change_status, create_post
from orangefriday.board.models import Post, Product, Status
from orangefriday.conftest import make_fan
from orangefriday.releases.cuts import cut_and_publish_due_builds
from orangefriday.releases.stable import promote_to_stable, set_rollout
from orangefriday.voting.actions import cast_vote

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(*args: int, zone: str = "Asia/Shanghai") -> datetime:
    """A product-local wall time, as an aware UTC instant."""
    return datetime(*args, tzinfo=ZoneInfo(zone)).astimezone(UTC)  # type: ignore[arg-type,misc]


class Clock:
    """time_machine, moved by instants only: given an aware datetime, time_machine would also
    set the process's TZ to its zone, and the server's clock zone is what tests vary."""

    def __init__(self, traveller: time_machine.Traveller) -> None:
        self.traveller = traveller

    def move_to(self, when: datetime) -> None:
        self.traveller.move_to(when.timestamp())


@pytest.fixture
def clock() -> Iterator[Clock]:
    """Frozen at Monday 23 Nov 2026, 09:00 in Shanghai; tests move it with `move_to`."""
    with time_machine.travel(local(2026, 11, 23, 9, 0).timestamp(), tick=False) as traveller:
        yield Clock(traveller)


@pytest.fixture
def product(recorder: Product, clock) -> Product:
    """Sound Recorder, on the board since January."""
    recorder.created_at = local(2026, 1, 1)
    recorder.save(update_fields=["created_at"])
    return recorder


@pytest.fixture
def fans(db) -> list[User]:
    return [make_fan(f"fan{i}") for i in range(5)]


def ship(
    *,
    engineer: User,
    author: User,
    product: Product,
    title: str,
    kind: str = "idea",
    voters: Iterable[User] = (),
) -> Post:
    """A fan's post, voted for, then marked shipped by an engineer at the clock's now."""
    post = create_post(author=author, product=product, kind=kind, title=title)
    for fan in voters:
        cast_vote(fan=fan, post_id=post.pk)
    change_status(by=engineer, post=post, status=Status.SHIPPED)
    post.refresh_from_db()
    return post


@pytest.fixture
def stable(clock, product: Product, maya: User):
    """Sound Recorder's developer build 26.11.27, published on Friday, and promoted to a
    stable build rolling out to 10%; the clock stands at Saturday 28 Nov, 10:00."""
    clock.move_to(local(2026, 11, 27, 17, 0))
    (developer,) = cut_and_publish_due_builds(now=local(2026, 11, 27, 17, 0))
    clock.move_to(local(2026, 11, 28, 10, 0))
    build = promote_to_stable(by=maya, build=developer)
    return set_rollout(by=maya, build=build, percent=10)
