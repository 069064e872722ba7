"""The sales API: launches, reservations, addresses, buying (buying.py), orders and their
payment, F-codes, a round's results for engineers."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Field, Router, Schema, Status

from orangefriday.accounts.api import ANYONE, SIGNED_IN, idempotent
from orangefriday.accounts.models import User, fan_of
from orangefriday.board.models import Product
from orangefriday.core.api import Id, InputSchema, IsoDateTime
from orangefriday.core.errors import Conflict

from . import actions, payments
from .buying import handle_buy, order_body
from .models import Edition, FCode, Launch, Order, SaleRound
from .permissions import can_pay, can_run_sales, can_see_order
from .queries import (
    current_round,
    fan_fcodes,
    fan_orders,
    has_reserved,
    launch_phase,
    reservation_count,
    round_results,
)

router = Router(tags=["sales"])


class EditionOut(Schema):
    id: Id
    name: str
    price: str
    currency: str
    description: str
    image: str


class AllocationOut(Schema):
    edition_id: Id
    units: int
    units_left: int
    fcode_units: int
    fcode_units_left: int


class RoundOut(Schema):
    id: Id
    number: int
    starts_at: datetime
    allocations: list[AllocationOut]


class LaunchOut(Schema):
    slug: str
    name: str
    product: str
    description: str
    reservations_open_at: datetime
    reservations_close_at: datetime
    phase: str
    reservations: int
    reserved: bool = Field(description="Whether you reserved")
    editions: list[EditionOut]
    rounds: list[RoundOut]
    current_round_id: int | None


def _launch_out(launch: Launch, fan: User | None) -> dict[str, Any]:
    now = timezone.now()
    rounds = list(launch.rounds.prefetch_related("allocations"))
    current = current_round(rounds, now=now)
    return {
        "slug": launch.slug,
        "name": launch.name,
        "product": launch.product.slug,
        "description": launch.description,
        "reservations_open_at": launch.reservations_open_at,
        "reservations_close_at": launch.reservations_close_at,
        "phase": launch_phase(launch, rounds, now=now),
        "reservations": reservation_count(launch),
        "reserved": has_reserved(fan, launch),
        "editions": [
            {
                "id": e.pk,
                "name": e.name,
                "price": str(e.price),
                "currency": e.currency,
                "description": e.description,
                "image": e.image,
            }
            for e in launch.editions.all()
        ],
        "rounds": [
            {
                "id": r.pk,
                "number": r.number,
                "starts_at": r.starts_at,
                "allocations": [
                    {
                        "edition_id": a.edition_id,
                        "units": a.units,
                        "units_left": a.units_left,
                        "fcode_units": a.fcode_units,
                        "fcode_units_left": a.fcode_units_left,
                    }
                    for a in r.allocations.all()
                ],
            }
            for r in rounds
        ],
        "current_round_id": current.pk if current else None,
    }


def _viewer(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


@router.get("/launches", response=list[LaunchOut], auth=ANYONE, summary="Launches, newest first")
def launches(request: HttpRequest) -> list[dict[str, Any]]:
    found = Launch.objects.select_related("product")[:50]
    return [_launch_out(launch, _viewer(request)) for launch in found]


@router.get("/launches/{slug}", response=LaunchOut, auth=ANYONE, summary="One launch")
def launch_detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    launch = get_object_or_404(Launch.objects.select_related("product"), slug=slug)
    return _launch_out(launch, _viewer(request))


class EditionIn(InputSchema):
    name: str = Field(min_length=1, max_length=80)
    price: str = Field(pattern=r"^[0-9]{1,8}(\.[0-9]{1,2})?$", description='e.g. "1999.00"')
    currency: str = Field("CNY", pattern=r"^[A-Z]{3}$")
    stock_per_round: int = Field(ge=0, le=10_000_000)
    description: str = Field("", max_length=5000)
    image: str = Field("", max_length=200)


class LaunchIn(InputSchema):
    product: str = Field(min_length=1, max_length=50)
    slug: str = Field(pattern=r"^[-a-z0-9]{1,60}$")
    name: str = Field(min_length=1, max_length=120)
    description: str = Field("", max_length=20000)
    # JSON has no datetime: ISO 8601 text, e.g. "2026-12-06T12:00:00Z".
    reservations_open_at: IsoDateTime
    reservations_close_at: IsoDateTime
    editions: list[EditionIn] = Field(min_length=1, max_length=20)
    rounds: list[IsoDateTime] = Field(min_length=1, max_length=20)


@router.post(
    "/launches", response={201: LaunchOut}, auth=SIGNED_IN, summary="Engineers: create a launch"
)
def create_launch(request: HttpRequest, payload: LaunchIn) -> Any:
    product = get_object_or_404(Product, slug=payload.product)
    if Launch.objects.filter(slug=payload.slug).exists():
        raise Conflict({"slug": gettext("A launch with this slug exists.")})
    launch = actions.create_launch(
        by=fan_of(request),
        product=product,
        slug=payload.slug,
        name=payload.name,
        description=payload.description,
        reservations_open_at=payload.reservations_open_at,
        reservations_close_at=payload.reservations_close_at,
        editions=[
            actions.EditionSpec(
                name=e.name,
                price=Decimal(e.price),
                stock_per_round=e.stock_per_round,
                currency=e.currency,
                description=e.description,
                image=e.image,
            )
            for e in payload.editions
        ],
        rounds=payload.rounds,
    )
    return Status(201, _launch_out(launch, fan_of(request)))


class ReservationOut(Schema):
    launch: str
    created_at: datetime


@router.put(
    "/launches/{slug}/reservation",
    response=ReservationOut,
    auth=SIGNED_IN,
    summary="Reserve (once per fan; 409 outside the window)",
)
def reserve(request: HttpRequest, slug: str) -> dict[str, Any]:
    launch = get_object_or_404(Launch, slug=slug)
    reservation = actions.reserve(fan=fan_of(request), launch=launch)
    return {"launch": launch.slug, "created_at": reservation.created_at}


class AddressIn(InputSchema):
    name: str = Field(min_length=1, max_length=100)
    line1: str = Field(min_length=1, max_length=200)
    line2: str = Field("", max_length=200)
    city: str = Field(min_length=1, max_length=100)
    postcode: str = Field(min_length=1, max_length=20)
    country: str = Field("CN", min_length=2, max_length=2)
    phone: str = Field("", max_length=30)


class AddressOut(Schema):
    id: Id
    name: str
    line1: str
    line2: str
    city: str
    postcode: str
    country: str
    phone: str


@router.get("/me/addresses", response=list[AddressOut], auth=SIGNED_IN, summary="Your addresses")
def addresses(request: HttpRequest) -> Any:
    return list(fan_of(request).addresses.all())


@router.post(
    "/me/addresses", response={201: AddressOut}, auth=SIGNED_IN, summary="Add a delivery address"
)
@idempotent
def add_address(request: HttpRequest, payload: AddressIn) -> Any:
    return Status(201, actions.add_address(fan=fan_of(request), **payload.dict()))


BUY_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["edition", "address"],
                "additionalProperties": False,
                "properties": {
                    "edition": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1},
                    "address": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1},
                    "fcode": {"type": "string", "maxLength": 64},
                },
            }
        }
    },
}


class OrderOut(Schema):
    id: Id
    state: str
    round_id: Id
    allocation_id: Id
    price: str
    currency: str
    held_until: datetime
    fcode: bool
    pay_url: str


@router.post(
    "/rounds/{round_id}/buy",
    response={201: OrderOut},
    auth=None,
    summary="Take one unit: 201 yours (pay within 15 minutes), 409 sold out",
    description='Bearer token only. Body: {"edition": id, "address": id, "fcode": '
    '"F-…" (optional: buys without a reservation from the F-code share)}. One live order '
    "per fan and per address in a round. Takes `Idempotency-Key`.",
    openapi_extra={
        "security": [{"BearerToken": []}],
        "requestBody": BUY_BODY,
        "parameters": [
            {
                "in": "header",
                "name": "Idempotency-Key",
                "required": False,
                "schema": {"type": "string", "minLength": 1, "maxLength": 255},
            }
        ],
    },
)
def buy(request: HttpRequest, round_id: Id) -> HttpResponse:
    # The whole call is buying.handle_buy, which the lean WSGI path serves too.
    return handle_buy(request, round_id)


@router.get("/me/orders", response=list[OrderOut], auth=SIGNED_IN, summary="Your orders")
def orders(request: HttpRequest) -> list[dict[str, Any]]:
    return [order_body(order) for order in fan_orders(fan_of(request))]


class OrderChangeOut(Schema):
    from_state: str
    to_state: str
    note: str
    at: datetime


class OrderDetailOut(OrderOut):
    history: list[OrderChangeOut]


def _order_for(request: HttpRequest, order_id: int, *, to_pay: bool = False) -> Order:
    """The order, if the fan may see it (or, `to_pay`, pay it); otherwise 403."""
    fan = fan_of(request)
    order = get_object_or_404(
        Order.objects.select_related("sale_round__launch__product"), pk=order_id
    )
    if not (can_pay if to_pay else can_see_order)(fan, order):
        raise PermissionDenied("This is not your order.")
    return order


@router.get(
    "/orders/{order_id}",
    response=OrderDetailOut,
    auth=SIGNED_IN,
    summary="An order and its history",
)
def order_detail(request: HttpRequest, order_id: Id) -> dict[str, Any]:
    order = _order_for(request, order_id)
    return {**order_body(order), "history": list(order.history.all())}


class PayOut(Schema):
    redirect: str = Field(description="Send the fan here to pay (the provider's page)")


@router.post(
    "/orders/{order_id}/pay", response=PayOut, auth=SIGNED_IN, summary="Where to pay a held order"
)
def pay(request: HttpRequest, order_id: Id) -> dict[str, str]:
    order = _order_for(request, order_id, to_pay=True)
    return {"redirect": request.build_absolute_uri(payments.provider().checkout_url(order))}


@router.post(
    "/orders/{order_id}/cancel",
    response=OrderOut,
    auth=SIGNED_IN,
    summary="Cancel (or, engineers, refund)",
)
def cancel(request: HttpRequest, order_id: Id) -> dict[str, Any]:
    order = _order_for(request, order_id)
    return order_body(actions.cancel_order(by=fan_of(request), order=order))


@router.post(
    "/orders/{order_id}/ship", response=OrderOut, auth=SIGNED_IN, summary="Engineers: mark shipped"
)
def ship(request: HttpRequest, order_id: Id) -> dict[str, Any]:
    order = _order_for(request, order_id)
    return order_body(actions.ship_order(by=fan_of(request), order=order))


class FCodeOut(Schema):
    id: Id
    code: str
    launch: str
    edition_id: int | None
    reason: str
    used: bool
    gifted: bool


def _fcode_out(fcode: FCode) -> dict[str, Any]:
    return {
        "id": fcode.pk,
        "code": actions.format_code(fcode.code),
        "launch": fcode.launch.slug,
        "edition_id": fcode.edition_id,
        "reason": fcode.reason,
        "used": fcode.used_at is not None,
        "gifted": fcode.gifted_at is not None,
    }


@router.get("/me/fcodes", response=list[FCodeOut], auth=SIGNED_IN, summary="Your F-codes")
def fcodes(request: HttpRequest) -> list[dict[str, Any]]:
    return [_fcode_out(fcode) for fcode in fan_fcodes(fan_of(request))]


class GiftIn(InputSchema):
    to: str = Field(min_length=1, max_length=150, description="The username of the fan")


@router.post(
    "/fcodes/{fcode_id}/gift", response=FCodeOut, auth=SIGNED_IN, summary="Gift your F-code (once)"
)
def gift(request: HttpRequest, fcode_id: Id, payload: GiftIn) -> dict[str, Any]:
    fan = fan_of(request)
    fcode = get_object_or_404(FCode.objects.select_related("launch"), pk=fcode_id, holder=fan)
    to = get_object_or_404(User, username=payload.to, is_active=True)
    return _fcode_out(actions.gift_fcode(by=fan, fcode=fcode, to=to))


class IssueIn(InputSchema):
    count: int = Field(1, ge=1, le=1000)
    holder: str | None = Field(None, max_length=150, description="A username; none: unassigned")
    edition: Id | None = None


@router.post(
    "/launches/{slug}/fcodes",
    response={201: list[FCodeOut]},
    auth=SIGNED_IN,
    summary="Engineers: issue F-codes",
)
def issue(request: HttpRequest, slug: str, payload: IssueIn) -> Any:
    launch = get_object_or_404(Launch.objects.select_related("product"), slug=slug)
    holder = get_object_or_404(User, username=payload.holder) if payload.holder else None
    edition = get_object_or_404(Edition, pk=payload.edition) if payload.edition else None
    made = actions.issue_fcodes(
        by=fan_of(request), launch=launch, count=payload.count, holder=holder, edition=edition
    )
    return Status(201, [_fcode_out(fcode) for fcode in made])


class EditionResultOut(Schema):
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
    sold: int
    revenue: Decimal
    currency: str


@router.get(
    "/rounds/{round_id}/results",
    response=list[EditionResultOut],
    auth=SIGNED_IN,
    summary="Engineers: a round's results",
)
def results(request: HttpRequest, round_id: Id) -> list[dict[str, Any]]:
    sale_round = get_object_or_404(SaleRound.objects.select_related("launch__product"), pk=round_id)
    if not can_run_sales(fan_of(request), sale_round.launch.product):
        raise PermissionDenied("Only the product's engineers see a round's results.")
    return [{**vars(r), "sold": r.sold} for r in round_results(sale_round)]
