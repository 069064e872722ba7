"""Reads of direct sales worth naming: a launch as its page shows it, a round's results."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum

from orangefriday.accounts.models import User

from .models import Allocation, FCode, Launch, Order, OrderState, Reservation, SaleRound


def launch_phase(launch: Launch, rounds: list[SaleRound], *, now: datetime) -> str:
    """ "upcoming", "reservations" (the window is open), "waiting" (closed, a round to come),
    "selling" (a round has started) or "over" (every round started and nothing is left)."""
    if now < launch.reservations_open_at:
        return "upcoming"
    if now < launch.reservations_close_at and (not rounds or now < rounds[0].starts_at):
        return "reservations"
    if rounds and now < rounds[0].starts_at:
        return "waiting"
    if any(r.starts_at > now for r in rounds):
        return "selling"
    left = Allocation.objects.filter(sale_round__launch=launch, units_left__gt=0).exists()
    return "selling" if left else "over"


def current_round(rounds: list[SaleRound], *, now: datetime) -> SaleRound | None:
    """The round on sale now (the last started one), else the next to start."""
    started = [r for r in rounds if r.starts_at <= now]
    if started:
        return started[-1]
    return rounds[0] if rounds else None


def reservation_count(launch: Launch) -> int:
    return Reservation.objects.filter(launch=launch).count()


def has_reserved(fan: User | None, launch: Launch) -> bool:
    return fan is not None and Reservation.objects.filter(launch=launch, fan=fan).exists()


def fan_orders(fan: User) -> list[Order]:
    return list(
        Order.objects.filter(fan=fan).select_related(
            "allocation__edition", "sale_round__launch", "address"
        )
    )


def fan_fcodes(fan: User) -> list[FCode]:
    return list(FCode.objects.filter(holder=fan).select_related("launch", "edition"))


@dataclass(frozen=True)
class EditionResult:
    edition: str
    units: int
    fcode_units: int
    left: int
    fcode_left: int
    held: int
    paid: int
    shipped: int
    expired: int
    cancelled: int
    refunded: int
    revenue: Decimal
    currency: str

    @property
    def sold(self) -> int:
        return self.paid + self.shipped

    @property
    def taken(self) -> int:
        return self.held + self.paid + self.shipped


def round_results(sale_round: SaleRound) -> list[EditionResult]:
    """Per edition: stock, what is left, orders by state and the revenue of paid ones."""
    states = {state: Count("orders", filter=Q(orders__state=state)) for state in OrderState.values}
    rows = (
        Allocation.objects.filter(sale_round=sale_round)
        .select_related("edition")
        .annotate(
            **states,
            revenue=Sum(
                "orders__price",
                filter=Q(orders__state__in=[OrderState.PAID, OrderState.SHIPPED]),
                default=Decimal(0),
            ),
        )
        .order_by("edition__position", "edition__pk")
    )
    return [
        EditionResult(
            edition=row.edition.name,
            units=row.units,
            fcode_units=row.fcode_units,
            left=row.units_left,
            fcode_left=row.fcode_units_left,
            held=getattr(row, OrderState.HELD),
            paid=getattr(row, OrderState.PAID),
            shipped=getattr(row, OrderState.SHIPPED),
            expired=getattr(row, OrderState.EXPIRED),
            cancelled=getattr(row, OrderState.CANCELLED),
            refunded=getattr(row, OrderState.REFUNDED),
            revenue=row.revenue,  # type: ignore[attr-defined]
            currency=row.edition.currency,
        )
        for row in rows
    ]
