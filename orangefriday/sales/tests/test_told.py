"""Who is told: reserved fans before a round (in-app and email, through the event's
consumer); F-codes earned by contribution; referrals credited once, never for oneself or a
cancelled order."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail  # noqa: F401
from django.utils import timezone

from orangefriday.board.actions import create_post
from orangefriday.core.events import dispatch, record
from orangefriday.notifications.models import Notification, OutboxEmail
from orangefriday.sales.actions import (
    announce_due_rounds,
    cancel_order,
    confirm_payment,
    reserve,
)
from orangefriday.sales.models import FCode, FCodeReason, Referral

from .conftest import open_launch, round_start
from .test_buying import attempt

pytestmark = pytest.mark.django_db


def test_reserved_fans_are_told_30_minutes_before_a_round_once(launch, alice, bob, carol):
    for fan in (alice, bob):
        reserve(fan=fan, launch=launch)
    start = round_start(launch)
    with time_machine.travel(start - timedelta(minutes=31)):
        assert announce_due_rounds() == []
    with time_machine.travel(start - timedelta(minutes=30)):
        assert len(announce_due_rounds()) == 1
        assert announce_due_rounds() == []
        dispatch()
    told = Notification.objects.filter(kind="sale")
    assert sorted(told.values_list("fan__username", flat=True)) == ["alice", "bob"]
    assert "round 1 starts at" in told[0].message
    assert OutboxEmail.objects.filter(fan__in=[alice, bob]).count() == 2


def test_each_reserved_fan_is_told_the_start_in_their_own_time_zone(launch, alice, bob, carol):
    alice.time_zone, bob.time_zone = "Asia/Shanghai", "America/New_York"
    for fan in (alice, bob, carol):
        fan.save(update_fields=["time_zone"])
        reserve(fan=fan, launch=launch)
    start = datetime(timezone.now().year + 1, 6, 1, 12, 0, tzinfo=UTC)
    launch.rounds.update(starts_at=start)
    with time_machine.travel(start - timedelta(minutes=30)):
        announce_due_rounds()
        dispatch()
    expected = {
        "alice": "20:00 (Asia/Shanghai)",  # UTC+8
        "bob": "08:00 (America/New_York)",  # summer time, UTC-4
        "carol": "12:00 (UTC)",  # no zone chosen: the site's
    }
    for name, when in expected.items():
        told = Notification.objects.get(kind="sale", fan__username=name)
        email = OutboxEmail.objects.get(fan__username=name)
        assert f"starts at {start.year}-06-01 {when}" in told.message
        assert f"starts at {start.year}-06-01 {when}" in email.body


def test_a_shipped_idea_and_a_popcorn_award_earn_the_author_an_fcode(launch, recorder, alice, maya):
    post = create_post(author=alice, product=recorder, kind="idea", title="Bigger buttons")
    from django.db import transaction

    with transaction.atomic():
        record(
            "post.status_changed",
            subject=post,
            actor=maya,
            from_status="in_progress",
            to_status="shipped",
            change_id=1,
            product_id=recorder.pk,
            title=post.title,
            url="/",
            note="",
        )
        record("award.given", subject=post, post_id=post.pk, build_id=1, change_id=1, team_id=None)
    dispatch()
    reasons = sorted(
        FCode.objects.filter(holder=alice, launch=launch).values_list("reason", flat=True)
    )
    assert reasons == [FCodeReason.AWARD, FCodeReason.IDEA]


def test_a_referred_fans_paid_order_credits_the_referrer_once(maya, recorder, alice, bob):
    launch = open_launch(maya, recorder)
    reserve(fan=bob, launch=launch, referrer_id=alice.pk)
    with time_machine.travel(round_start(launch)):
        order = attempt(bob, launch)
        confirm_payment(
            order_id=order.pk, provider="test", reference="r1", amount=order.price, currency="CNY"
        )
    dispatch()
    (credit,) = FCode.objects.filter(holder=alice, reason=FCodeReason.REFERRAL)
    assert Referral.objects.get().credited_order == order
    # Refunded: the credit is withdrawn.
    cancel_order(by=maya, order=order)
    dispatch()
    credit.refresh_from_db()
    assert credit.voided_at is not None
    assert Referral.objects.get().credited_at is None


def test_no_self_referral_and_nothing_for_an_unpaid_order(maya, recorder, alice, bob):
    launch = open_launch(maya, recorder)
    reserve(fan=alice, launch=launch, referrer_id=alice.pk)
    assert not Referral.objects.exists()
    reserve(fan=bob, launch=launch, referrer_id=alice.pk)
    with time_machine.travel(round_start(launch)):
        cancel_order(by=bob, order=attempt(bob, launch))
    dispatch()
    assert not FCode.objects.filter(reason=FCodeReason.REFERRAL).exists()


def test_fans_unlucky_in_two_rounds_get_a_priority_pass_with_a_longer_hold(
    maya, recorder, alice, bob
):
    launch = open_launch(maya, recorder, stock=10, rounds=3)  # 1 unit a round for F-codes
    for fan in (alice, bob):
        reserve(fan=fan, launch=launch)
    with time_machine.travel(round_start(launch, 1)):
        attempt(bob, launch, number=1)  # bob was lucky once; alice never
    third = round_start(launch, 3)
    with time_machine.travel(third - timedelta(minutes=30)):
        announce_due_rounds()
        dispatch()
    (priority,) = FCode.objects.filter(reason=FCodeReason.PRIORITY)
    assert priority.holder == alice
    with time_machine.travel(third):
        order = attempt(alice, launch, number=3, fcode=priority.code)
    assert order.held_until - order.created_at == timedelta(hours=2)
