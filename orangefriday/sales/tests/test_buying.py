"""Reserving and buying one unit: who may, when, how many; holds that expire; the stock
never below zero."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from orangefriday.conftest import make_fan
from orangefriday.core.errors import Conflict, Refused
from orangefriday.sales.actions import (
    SoldOut,
    buy,
    cancel_order,
    expire_due_holds,
    reserve,
)
from orangefriday.sales.models import Allocation, Order, OrderState

from .conftest import address_of, open_launch, round_start

pytestmark = pytest.mark.django_db


def attempt(fan, launch, *, address=None, number=1, fcode=""):
    sale_round = launch.rounds.get(number=number)
    edition = launch.editions.get()
    return buy(
        fan=fan,
        round_id=sale_round.pk,
        edition_id=edition.pk,
        address_id=(address or fan.addresses.first() or address_of(fan)).pk,
        ip="203.0.113.9",
        fcode=fcode,
    )


def test_a_reserved_fan_buys_one_unit_held_for_15_minutes(launch, alice):
    reserve(fan=alice, launch=launch)
    with time_machine.travel(round_start(launch)):
        order = attempt(alice, launch)
        assert order.state == OrderState.HELD
        assert order.held_until - order.created_at == timedelta(minutes=15)
        assert order.price == launch.editions.get().price
        assert [c.to_state for c in order.history.all()] == ["held"]
    allocation = Allocation.objects.get(sale_round__launch=launch)
    assert (allocation.units, allocation.units_left) == (9, 8)  # one of 10 kept for F-codes


def test_reserving_twice_is_one_reservation_and_only_in_the_window(launch, alice, bob):
    first = reserve(fan=alice, launch=launch)
    assert reserve(fan=alice, launch=launch) == first
    with time_machine.travel(launch.reservations_close_at), pytest.raises(Conflict):
        reserve(fan=bob, launch=launch)


def test_an_unverified_fan_may_not_reserve(launch):
    newcomer = make_fan("newcomer", verified=False)
    with pytest.raises(Refused):
        reserve(fan=newcomer, launch=launch)


def test_without_a_reservation_a_fan_is_refused(launch, bob):
    with time_machine.travel(round_start(launch)), pytest.raises(Refused):
        attempt(bob, launch)


def test_nobody_buys_before_the_round_starts(launch, alice):
    reserve(fan=alice, launch=launch)
    with (
        time_machine.travel(round_start(launch) - timedelta(seconds=1)),
        pytest.raises(Conflict, match="not started"),
    ):
        attempt(alice, launch)


def test_one_order_per_fan_and_per_address_in_a_round(launch, alice, bob):
    for fan in (alice, bob):
        reserve(fan=fan, launch=launch)
    shared = address_of(alice, "Gulou street 5")
    same_door = address_of(bob, "  GULOU   Street 5 ")
    with time_machine.travel(round_start(launch)):
        attempt(alice, launch, address=shared)
        with pytest.raises(Conflict, match="already have an order"):
            attempt(alice, launch, address=shared)
        with pytest.raises(Conflict, match="address already has an order"):
            attempt(bob, launch, address=same_door)
    assert Order.objects.count() == 1
    assert Allocation.objects.get().units_left == 8


def test_a_refused_attempt_takes_no_unit_and_says_which_rule_refused(maya, recorder, alice, bob):
    launch = open_launch(maya, recorder, stock=1)
    late = make_fan("late")
    for fan in (alice, late):
        reserve(fan=fan, launch=launch)
    with time_machine.travel(round_start(launch)):
        with pytest.raises(Refused, match="Only fans who reserved"):
            attempt(bob, launch)
        with pytest.raises(ValidationError, match="Choose one of your delivery addresses"):
            attempt(alice, launch, address=address_of(bob))
        assert Allocation.objects.get().units_left == 1
        attempt(alice, launch)  # the unit was still there, and not thought sold out
        with pytest.raises(Refused):  # once it is gone too, the rule is what is said
            attempt(bob, launch)
        with pytest.raises(SoldOut):
            attempt(late, launch)
    assert Order.objects.get().fan == alice


def test_sold_out_at_zero_and_never_below(maya, recorder):
    launch = open_launch(maya, recorder, stock=2)  # 2 units, none kept for F-codes (10 %)
    fans = [make_fan(f"fan{i}") for i in range(4)]
    for fan in fans:
        reserve(fan=fan, launch=launch)
    with time_machine.travel(round_start(launch)):
        attempt(fans[0], launch)
        attempt(fans[1], launch)
        for fan in fans[2:]:
            with pytest.raises(SoldOut):
                attempt(fan, launch)
    assert Allocation.objects.get().units_left == 0


def test_an_unpaid_hold_expires_after_15_minutes_and_another_fan_takes_it(maya, recorder):
    launch = open_launch(maya, recorder, stock=1)
    first, second = make_fan("first"), make_fan("second")
    for fan in (first, second):
        reserve(fan=fan, launch=launch)
    start = round_start(launch)
    with time_machine.travel(start, tick=False) as clock:
        order = attempt(first, launch)
        with pytest.raises(SoldOut):
            attempt(second, launch)
        clock.shift(timedelta(minutes=14, seconds=59))
        assert expire_due_holds() == 0
        clock.shift(timedelta(seconds=1))
        assert expire_due_holds() == 1
        order.refresh_from_db()
        assert order.state == OrderState.EXPIRED
        assert [c.to_state for c in order.history.all()] == ["held", "expired"]
        # The process that gave the unit back no longer says "sold out".
        taken = attempt(second, launch)
        assert taken.state == OrderState.HELD
        # And the first fan, whose hold expired, may try again (and finds it sold out).
        with pytest.raises(SoldOut):
            attempt(first, launch)


def test_a_fan_cancels_a_held_order_and_the_unit_returns(launch, alice, bob):
    reserve(fan=alice, launch=launch)
    with time_machine.travel(round_start(launch)):
        order = attempt(alice, launch)
        with pytest.raises(PermissionDenied):
            cancel_order(by=bob, order=order)
        cancel_order(by=alice, order=order)
    order.refresh_from_db()
    assert order.state == OrderState.CANCELLED
    assert Allocation.objects.get().units_left == 9


def test_an_address_of_another_fan_is_refused(launch, alice, bob):
    reserve(fan=alice, launch=launch)
    with time_machine.travel(round_start(launch)), pytest.raises(ValidationError) as error:
        attempt(alice, launch, address=address_of(bob))
    assert "address" in error.value.message_dict
