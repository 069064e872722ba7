"""F-codes: issued by engineers or earned, single use, giftable once, redemption limited,
from the share of stock kept for them, before or during a round."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from orangefriday.conftest import make_fan
from orangefriday.core.errors import Conflict
from orangefriday.core.limits import RateLimited
from orangefriday.sales.actions import (
    CODE_ALPHABET,
    CODE_LENGTH,
    earn_fcode,
    format_code,
    gift_fcode,
    issue_fcodes,
)
from orangefriday.sales.models import Allocation, FCodeReason

from .conftest import round_start
from .test_buying import attempt

pytestmark = pytest.mark.django_db


def test_codes_have_100_bits_and_only_engineers_issue_them(launch, maya, alice):
    codes = issue_fcodes(by=maya, launch=launch, count=50)
    assert len({c.code for c in codes}) == 50
    assert all(len(c.code) == CODE_LENGTH and set(c.code) <= set(CODE_ALPHABET) for c in codes)
    assert len(CODE_ALPHABET) ** CODE_LENGTH > 2**98
    with pytest.raises(PermissionDenied):
        issue_fcodes(by=alice, launch=launch)


def test_a_fan_without_reservation_buys_with_an_fcode_before_the_round(launch, maya, carol):
    (fcode,) = issue_fcodes(by=maya, launch=launch, holder=carol)
    with time_machine.travel(round_start(launch) - timedelta(hours=1)):
        order = attempt(carol, launch, fcode=format_code(fcode.code).lower())
    allocation = Allocation.objects.get()
    assert (allocation.units_left, allocation.fcode_units_left) == (9, 0)
    assert order.fcode == fcode
    fcode.refresh_from_db()
    assert fcode.used_at is not None
    with pytest.raises(Conflict):
        attempt(carol, launch, fcode=fcode.code)


def test_the_reserved_share_runs_out_for_fcodes_too(launch, maya):
    fans = [make_fan(f"f{i}") for i in range(2)]
    codes = [issue_fcodes(by=maya, launch=launch, holder=fan)[0] for fan in fans]
    attempt(fans[0], launch, fcode=codes[0].code)
    with pytest.raises(Conflict, match="Sold out"):
        attempt(fans[1], launch, fcode=codes[1].code)
    codes[1].refresh_from_db()
    assert codes[1].used_at is None  # not spent on a unit it did not get


def test_an_unassigned_code_goes_to_whoever_redeems_it_and_nobody_else(launch, maya, alice, bob):
    (fcode,) = issue_fcodes(by=maya, launch=launch)
    attempt(alice, launch, fcode=fcode.code)
    fcode.refresh_from_db()
    assert fcode.holder == alice
    with pytest.raises(ValidationError, match="another fan"):
        attempt(bob, launch, fcode=fcode.code)


def test_a_code_is_gifted_once(launch, maya, alice, bob, carol):
    (fcode,) = issue_fcodes(by=maya, launch=launch, holder=alice)
    with pytest.raises(PermissionDenied):
        gift_fcode(by=bob, fcode=fcode, to=carol)
    gift_fcode(by=alice, fcode=fcode, to=bob)
    fcode.refresh_from_db()
    assert (fcode.holder, fcode.gifted_by) == (bob, alice)
    with pytest.raises(Conflict):
        gift_fcode(by=bob, fcode=fcode, to=carol)
    order = attempt(bob, launch, fcode=fcode.code)
    assert order.fan == bob


def test_guessing_codes_is_limited(launch, alice, rate_limits):
    rate_limits["fcode"] = "30/hour"  # a new fan's tenth: 3 an hour
    for _ in range(3):
        with pytest.raises(ValidationError, match="not an F-code"):
            attempt(alice, launch, fcode="F-AAAA-BBBB-CCCC-DDDD-EEEE")
    with pytest.raises(RateLimited):
        attempt(alice, launch, fcode="F-AAAA-BBBB-CCCC-DDDD-EEEF")


def test_an_earned_code_is_given_once_per_thing_earned(launch, alice):
    first = earn_fcode(fan=alice, launch=launch, reason=FCodeReason.AWARD, earned_for="award:1")
    again = earn_fcode(fan=alice, launch=launch, reason=FCodeReason.AWARD, earned_for="award:1")
    assert first is not None and again is None
