"""Must show 1: 2,000 buy attempts at once from 500 reserved fans on 50 units (real threads,
each with its own connection, on SQLite and on PostgreSQL): exactly 50 orders, no fan
twice, the stock at 0 and never below; then, the clock moved past the 15 minutes, the
unpaid holds expire and other fans take the units back in a second rush."""

from datetime import timedelta
from functools import partial

import pytest
import time_machine
from django.contrib.auth.hashers import make_password
from django.db.models import Count, Max, Min
from django.utils import timezone

from orangefriday.accounts.models import User
from orangefriday.core.errors import Conflict
from orangefriday.core.testing.concurrency import run_concurrently
from orangefriday.sales.actions import address_key, buy, expire_due_holds
from orangefriday.sales.models import Address, Allocation, Order, OrderState, Reservation

from .conftest import open_launch, round_start

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

FANS, ATTEMPTS, UNITS, THREADS = 500, 2000, 50, 16


def reserved_fans(launch, count: int, prefix: str) -> list[tuple[int, int]]:
    """`count` verified fans who reserved, each with an address: (fan id, address id)."""
    now = timezone.now()
    password = make_password("x")
    fans = User.objects.bulk_create(
        User(
            username=f"{prefix}{i}",
            email=f"{prefix}{i}@example.org",
            password=password,
            email_verified_at=now,
        )
        for i in range(count)
    )
    fans = list(User.objects.filter(username__startswith=prefix).order_by("pk"))
    Reservation.objects.bulk_create(Reservation(launch=launch, fan=fan) for fan in fans)
    addresses = Address.objects.bulk_create(
        Address(
            fan=fan,
            name=fan.username,
            line1=f"{fan.username} road",
            city="Shenzhen",
            postcode="518000",
            key=address_key(
                line1=f"{fan.username} road",
                line2="",
                city="Shenzhen",
                postcode="518000",
                country="CN",
            ),
        )
        for fan in fans
    )
    by_fan = {a.fan_id: a.pk for a in Address.objects.filter(fan__in=fans)}
    assert len(addresses) == count
    return [(fan.pk, by_fan[fan.pk]) for fan in fans]


def rush(launch, fans: list[tuple[int, int]], attempts: int) -> tuple[list[BaseException], int]:
    sale_round = launch.rounds.get()
    edition = launch.editions.get()
    users = {u.pk: u for u in User.objects.filter(pk__in=[f for f, _ in fans])}
    calls = [
        partial(
            buy,
            fan=users[fans[i % len(fans)][0]],
            round_id=sale_round.pk,
            edition_id=edition.pk,
            address_id=fans[i % len(fans)][1],
            ip=f"198.51.100.{i % 250}",
        )
        for i in range(attempts)
    ]
    errors = run_concurrently(calls, threads=THREADS)
    unexpected = [e for e in errors if not isinstance(e, Conflict)]
    return unexpected, len(errors)


def test_2000_attempts_from_500_fans_on_50_units_then_expiry_returns_them(maya, recorder, settings):
    settings.SALES_FCODE_SHARE = 0  # all 50 units for reserved fans
    launch = open_launch(maya, recorder, stock=UNITS)
    fans = reserved_fans(launch, FANS, "rush")
    start = round_start(launch)

    with time_machine.travel(start, tick=True):
        unexpected, refused = rush(launch, fans, ATTEMPTS)
    assert unexpected == []
    assert refused == ATTEMPTS - UNITS
    orders = Order.objects.filter(sale_round__launch=launch)
    assert orders.count() == UNITS
    assert orders.values("fan").annotate(n=Count("pk")).filter(n__gt=1).count() == 0
    allocation = Allocation.objects.get(sale_round__launch=launch)
    assert allocation.units_left == 0

    # Nobody paid: 15 minutes after the last of them the holds expire and give the 50 units
    # back (the rush itself takes a few seconds on a busy machine).
    last_hold = orders.aggregate(last=Max("held_until"))["last"]
    assert last_hold - orders.aggregate(first=Min("created_at"))["first"] < timedelta(minutes=16)
    with time_machine.travel(last_hold + timedelta(seconds=1), tick=True):
        assert expire_due_holds() == UNITS
        allocation.refresh_from_db()
        assert allocation.units_left == UNITS
        first_buyers = set(orders.values_list("fan_id", flat=True))
        others = [f for f in fans if f[0] not in first_buyers]
        unexpected, refused = rush(launch, others, ATTEMPTS)
    assert unexpected == []
    live = Order.objects.filter(sale_round__launch=launch, state=OrderState.HELD)
    assert live.count() == UNITS
    assert first_buyers.isdisjoint(live.values_list("fan_id", flat=True))
    assert Order.objects.filter(state=OrderState.EXPIRED).count() == UNITS
    allocation.refresh_from_db()
    assert allocation.units_left == 0
