"""Sales fixtures: the Sound Recorder Pro launch by maya, reservations open for the hour
around now, round 1 two hours from now; fans with a delivery address each."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from orangefriday.accounts.models import User
from orangefriday.board.models import Product
from orangefriday.conftest import make_fan
from orangefriday.sales import buying, soldout
from orangefriday.sales.actions import EditionSpec, add_address, create_launch
from orangefriday.sales.models import Address, Launch


@pytest.fixture(autouse=True)
def _fresh_memory():
    """Each web process's memory (sold-out flags, rounds, tokens) starts empty per test."""
    soldout.forget()
    buying.forget_tokens()
    yield
    soldout.forget()
    buying.forget_tokens()


def open_launch(
    by: User, product: Product, *, stock: int = 10, rounds: int = 1, slug: str = "pro"
) -> Launch:
    now = timezone.now()
    return create_launch(
        by=by,
        product=product,
        slug=slug,
        name="Sound Recorder Pro",
        description="A **pocket** recorder.",
        reservations_open_at=now - timedelta(hours=1),
        reservations_close_at=now + timedelta(hours=1),
        editions=[EditionSpec("Orange", Decimal("1999.00"), stock)],
        rounds=[now + timedelta(hours=2 + 24 * i) for i in range(rounds)],
    )


@pytest.fixture
def launch(maya: User, recorder: Product) -> Launch:
    return open_launch(maya, recorder)


def round_start(launch: Launch, number: int = 1) -> datetime:
    return launch.rounds.get(number=number).starts_at


def address_of(fan: User, street: str | None = None) -> Address:
    return add_address(
        fan=fan,
        name=fan.username,
        line1=street or f"{fan.username} street 1",
        city="Beijing",
        postcode="100000",
    )


@pytest.fixture
def carol(db) -> User:
    return make_fan("carol")
