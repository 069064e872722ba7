"""The demo's direct sales, on MIUI's board: the Orange One phone, sold a fortnight ago in
one round (reservations, a rush that sold out, holds paid, expired and taken by other fans,
an F-code, a referral), and the Orange One Pro, open for reservations now with two rounds
to come. Everything goes through the sales actions, at the times it would have happened."""

import random
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from orangefriday.accounts.models import User
from orangefriday.board.models import Product
from orangefriday.core.errors import Conflict
from orangefriday.core.events import dispatch
from orangefriday.notifications.models import Notification, NotificationKind, OutboxEmail
from orangefriday.sales.actions import (
    EditionSpec,
    add_address,
    announce_due_rounds,
    buy,
    cancel_order,
    confirm_payment,
    create_launch,
    earn_fcode,
    expire_due_holds,
    issue_fcodes,
    reserve,
    ship_order,
)
from orangefriday.sales.models import FCodeReason, Launch, Order, OrderState

DEMO_IP = "192.0.2.1"
CITIES = [
    ("Beijing", "100000"),
    ("Shanghai", "200000"),
    ("Shenzhen", "518000"),
    ("Wuhan", "430000"),
]


@dataclass(frozen=True)
class Loaded:
    past: Launch
    upcoming: Launch
    orders: int


def _address(fan: User, rng: random.Random) -> int:
    city, postcode = rng.choice(CITIES)
    return add_address(
        fan=fan,
        name=fan.get_full_name() or fan.username,
        line1=f"{rng.randint(1, 300)} {fan.username} Road",
        city=city,
        postcode=postcode,
    ).pk


def _pay(order: Order, at: datetime) -> None:
    confirm_payment(
        order_id=order.pk,
        provider="test",
        reference=f"demo_{order.pk}",
        amount=order.price,
        currency=order.currency,
        now=at,
    )


def load_sales(*, rng: random.Random, now: datetime, fans: list[User], engineer: User) -> Loaded:
    product = Product.objects.get(slug="miui")
    past = create_launch(
        by=engineer,
        product=product,
        slug="orange-one",
        name="Orange One",
        description="The first phone built with MIUI's fans: **every idea on this board** "
        "that shipped in a Friday build runs on it.",
        reservations_open_at=now - timedelta(days=21),
        reservations_close_at=now - timedelta(days=14, hours=1),
        editions=[
            EditionSpec("Orange One 64 GB", Decimal("1999.00"), 10, description="Orange back."),
            EditionSpec("Orange One 128 GB", Decimal("2299.00"), 10, description="Black back."),
        ],
        rounds=[now - timedelta(days=14)],
    )
    sale_round = past.rounds.get()
    editions = list(past.editions.all())
    start = sale_round.starts_at
    shoppers = fans[:30]
    addresses = {fan.pk: _address(fan, rng) for fan in fans}
    for index, fan in enumerate(shoppers):
        # A referral: the second fan came through the first one's link.
        referrer = shoppers[0].pk if index == 1 else None
        reserve(
            fan=fan,
            launch=past,
            referrer_id=referrer,
            now=past.reservations_open_at + timedelta(hours=index),
        )
    told_at = start - timedelta(minutes=30)
    announce_due_rounds(now=told_at)
    # The notices went out a fortnight ago: written now by the consumer, sent back then.
    dispatch()
    OutboxEmail.objects.filter(key__startswith="round:", sent_at__isnull=True).update(
        created_at=told_at, sent_at=told_at
    )
    Notification.objects.filter(kind=NotificationKind.SALE).update(
        created_at=told_at, read_at=told_at + timedelta(minutes=20)
    )
    # The rush: every reserved fan tries within the first seconds; 18 units for 30 fans.
    orders: list[Order] = []
    for index, fan in enumerate(shoppers):
        with suppress(Conflict):  # sold out
            orders.append(
                buy(
                    fan=fan,
                    round_id=sale_round.pk,
                    edition_id=editions[index % 2].pk,
                    address_id=addresses[fan.pk],
                    ip=DEMO_IP,
                    now=start + timedelta(seconds=index / 10),
                )
            )
    # An F-code from the engineers: a fan who did not reserve buys from the reserved share.
    gifted = fans[30]
    (fcode,) = issue_fcodes(by=engineer, launch=past, holder=gifted)
    orders.append(
        buy(
            fan=gifted,
            round_id=sale_round.pk,
            edition_id=editions[0].pk,
            address_id=addresses[gifted.pk],
            ip=DEMO_IP,
            fcode=fcode.code,
            now=start + timedelta(seconds=30),
        )
    )
    # Most pay within minutes; three never do, one cancels.
    unpaid, cancelled = orders[3:6], orders[6]
    cancel_order(by=cancelled.fan, order=cancelled, now=start + timedelta(minutes=2))
    for order in orders:
        if order not in unpaid and order is not cancelled:
            _pay(order, start + timedelta(minutes=rng.randint(1, 12)))
    # The unpaid holds expire and the fans who found it sold out take those units.
    expire_due_holds(now=start + timedelta(minutes=16))
    late = start + timedelta(minutes=16, seconds=5)
    buyers = {
        order.fan_id
        for order in Order.objects.filter(
            sale_round=sale_round, state__in=[OrderState.PAID, OrderState.HELD]
        )
    }
    for fan in [f for f in shoppers if f.pk not in buyers]:
        for edition in editions:
            try:
                second = buy(
                    fan=fan,
                    round_id=sale_round.pk,
                    edition_id=edition.pk,
                    address_id=addresses[fan.pk],
                    ip=DEMO_IP,
                    now=late,
                )
            except Conflict:
                continue
            _pay(second, late + timedelta(minutes=3))
            break
    # Shipped a week later.
    for order in Order.objects.filter(sale_round=sale_round, state=OrderState.PAID)[:6]:
        ship_order(by=engineer, order=order, now=start + timedelta(days=7))

    upcoming = create_launch(
        by=engineer,
        product=product,
        slug="orange-one-pro",
        name="Orange One Pro",
        description="The second phone: the camera ideas fans voted to the top. Reserve now; "
        "each round sells a fixed number of phones, one per fan.",
        reservations_open_at=now - timedelta(days=1),
        reservations_close_at=now + timedelta(days=6),
        editions=[
            EditionSpec("Orange One Pro 256 GB", Decimal("2999.00"), 500),
            EditionSpec("Orange One Pro 512 GB", Decimal("3499.00"), 200),
        ],
        rounds=[now + timedelta(days=7), now + timedelta(days=14)],
    )
    for index, fan in enumerate(fans[:12]):
        reserve(fan=fan, launch=upcoming, now=now - timedelta(hours=20 - index))
    # F-codes the fans earned: the author of the last Popcorn Award's idea, and a gift.
    earn_fcode(fan=fans[12], launch=upcoming, reason=FCodeReason.AWARD, earned_for="demo-award")
    issue_fcodes(by=engineer, launch=upcoming, holder=fans[13])
    return Loaded(past=past, upcoming=upcoming, orders=Order.objects.count())
