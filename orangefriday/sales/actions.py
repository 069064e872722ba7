"""Every write of direct sales: launches, reservations, buying, holds that expire,
payments, F-codes and referrals. Pages, the API and the lean buy path all call these."""

import hashlib
import secrets
import unicodedata
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from orangefriday.accounts.limits import EmailUnverified, needs_verification
from orangefriday.accounts.models import User
from orangefriday.accounts.standing import share
from orangefriday.board.models import Product
from orangefriday.core.errors import Conflict, Refused
from orangefriday.core.events import dispatch_on_commit, record
from orangefriday.core.limits import hit, parse_rates, scaled
from orangefriday.reputation.models import Total
from orangefriday.reputation.testers import programme_of, testers_of

from . import soldout, sql
from .models import (
    LIVE_STATES,
    Address,
    Allocation,
    Edition,
    FCode,
    FCodeReason,
    Launch,
    Order,
    OrderChange,
    OrderState,
    Payment,
    Referral,
    Reservation,
    SaleRound,
)
from .permissions import can_run_sales, can_see_order


class SoldOut(Conflict):
    """No unit of that edition is left in the round (the API answers 409)."""


# -- limits ------------------------------------------------------------------------------


def _fan_rates(fan: User, action: str) -> str:
    """The fan's share of a sales limit (accounts.standing, as for every fan write: the
    trust level stored on the fan, so no query)."""
    return scaled(settings.RATE_LIMITS[action], share(fan))


def check_sales_write(*, fan: User, action: str, what: str, now: datetime) -> None:
    """The rule of every fan write (accounts.limits.check_fan_write) for sales: a verified
    address, then the fan's limit for `action`."""
    if needs_verification(fan):
        raise EmailUnverified(
            _(
                "Confirm your e-mail address first: open the link we sent to %(email)s "
                "(or send it again from your settings page)."
            )
            % {"email": fan.email}
        )
    if parse_rates(settings.RATE_LIMITS[action]):
        hit(action, _fan_rates(fan, action), fan.pk, message=what)


def check_buy_limits(*, fan: User, ip: str, now: datetime) -> None:
    """Buying is limited per fan and per address, so that a bot hammering the buy call
    gets 429 while every other fan's attempts go through."""
    check_sales_write(fan=fan, action="buy", what=_("Too many buy attempts for now"), now=now)
    hit(
        "buy_ip",
        settings.RATE_LIMITS["buy_ip"],
        ip,
        message=_("Too many buy attempts from your address"),
    )


# -- launches ----------------------------------------------------------------------------


@dataclass(frozen=True)
class EditionSpec:
    name: str
    price: Decimal
    stock_per_round: int
    currency: str = "CNY"
    description: str = ""
    image: str = ""


def _fcode_share(stock: int) -> int:
    return int(stock * settings.SALES_FCODE_SHARE)


def create_launch(
    *,
    by: User,
    product: Product,
    slug: str,
    name: str,
    reservations_open_at: datetime,
    reservations_close_at: datetime,
    editions: list[EditionSpec],
    rounds: list[datetime],
    description: str = "",
) -> Launch:
    """An engineer's (or admin's) launch: editions, the reservation window, and one sale
    round per start time, each offering every edition's stock per round, of which
    SALES_FCODE_SHARE is kept for F-codes."""
    if not can_run_sales(by, product):
        raise PermissionDenied(_("Only the product's engineers run its launches."))
    if reservations_close_at <= reservations_open_at:
        raise ValidationError({"reservations_close_at": _("The window must end after it opens.")})
    if not editions:
        raise ValidationError({"editions": _("A launch sells at least one edition.")})
    if not rounds:
        raise ValidationError({"rounds": _("A launch has at least one sale round.")})
    if min(rounds) < reservations_open_at:
        raise ValidationError({"rounds": _("Rounds start after reservations open.")})
    with transaction.atomic():
        launch = Launch.objects.create(
            product=product,
            slug=slug,
            name=name,
            description=description,
            reservations_open_at=reservations_open_at,
            reservations_close_at=reservations_close_at,
            created_by=by,
        )
        for position, spec in enumerate(editions):
            Edition.objects.create(
                launch=launch,
                position=position,
                name=spec.name,
                price=spec.price,
                currency=spec.currency,
                description=spec.description,
                image=spec.image,
                stock_per_round=spec.stock_per_round,
            )
        for number, starts_at in enumerate(sorted(rounds), start=1):
            SaleRound.objects.create(launch=launch, number=number, starts_at=starts_at)
        add_missing_allocations(launch)
        record(
            "launch.created",
            subject=launch,
            actor=by,
            product_id=product.pk,
            url=launch.get_absolute_url(),
        )
    return launch


def add_missing_allocations(launch: Launch) -> int:
    """Every round offers every edition's stock per round, SALES_FCODE_SHARE of it kept for
    F-codes; rounds or editions added later (in the admin) get theirs here. Returns how
    many were added."""
    added = 0
    for sale_round in launch.rounds.all():
        have = set(sale_round.allocations.values_list("edition_id", flat=True))
        for edition in launch.editions.exclude(pk__in=have):
            reserved = _fcode_share(edition.stock_per_round)
            Allocation.objects.create(
                sale_round=sale_round,
                edition=edition,
                units=edition.stock_per_round - reserved,
                units_left=edition.stock_per_round - reserved,
                fcode_units=reserved,
                fcode_units_left=reserved,
            )
            added += 1
    return added


# -- reservations ------------------------------------------------------------------------


def reserve(
    *, fan: User, launch: Launch, referrer_id: int | None = None, now: datetime | None = None
) -> Reservation:
    """Reserve the right to buy in the launch's rounds, during its window; once per fan (a
    second call returns the first reservation). `referrer_id`: the fan whose referral link
    brought this one to sign up (pages read it from the session)."""
    now = now or timezone.now()
    existing = Reservation.objects.filter(launch=launch, fan=fan).first()
    if existing is not None:
        return existing
    if not launch.reservations_open_at <= now < launch.reservations_close_at:
        raise Conflict(_("Reservations for this launch are closed."))
    check_sales_write(fan=fan, action="reserve", what=_("Too many reservations for now"), now=now)
    with transaction.atomic():
        reservation, created = Reservation.objects.get_or_create(launch=launch, fan=fan)
        if created:
            record("reservation.made", subject=reservation, actor=fan, launch_id=launch.pk)
            if referrer_id is not None:
                _refer(fan=fan, referrer_id=referrer_id)
    return reservation


def _refer(*, fan: User, referrer_id: int) -> None:
    """Record who referred `fan`: never oneself, once per fan."""
    if referrer_id == fan.pk or Referral.objects.filter(referred=fan).exists():
        return
    if not User.objects.filter(pk=referrer_id, is_active=True).exists():
        return
    Referral.objects.create(referrer_id=referrer_id, referred=fan)


# -- addresses ---------------------------------------------------------------------------


def address_key(*, line1: str, line2: str, city: str, postcode: str, country: str) -> str:
    """One door, however it is spelled: case, accents, spaces and punctuation folded."""

    def fold(text: str) -> str:
        text = unicodedata.normalize("NFKD", text).casefold()
        return "".join(c for c in text if c.isalnum())

    folded = "|".join(fold(part) for part in (line1, line2, city, postcode, country))
    return hashlib.sha256(folded.encode()).hexdigest()


def add_address(
    *,
    fan: User,
    name: str,
    line1: str,
    city: str,
    postcode: str,
    country: str = "CN",
    line2: str = "",
    phone: str = "",
) -> Address:
    """A delivery address of the fan's."""
    check_sales_write(
        fan=fan, action="address", what=_("Too many new addresses for now"), now=timezone.now()
    )
    for field, value in (("name", name), ("line1", line1), ("city", city), ("postcode", postcode)):
        if not value.strip():
            raise ValidationError({field: _("This field is required.")})
    key = address_key(line1=line1, line2=line2, city=city, postcode=postcode, country=country)
    return Address.objects.create(
        fan=fan,
        name=name.strip(),
        line1=line1.strip(),
        line2=line2.strip(),
        city=city.strip(),
        postcode=postcode.strip(),
        country=country.strip().upper()[:2],
        phone=phone.strip(),
        key=key,
    )


# -- buying ------------------------------------------------------------------------------


def _hold_minutes(fcode: FCode | None) -> int:
    if fcode is not None and fcode.reason == FCodeReason.PRIORITY:
        return settings.SALES_PRIORITY_PASS_HOLD_MINUTES
    return settings.SALES_HOLD_MINUTES


def buy(
    *,
    fan: User,
    round_id: int,
    edition_id: int,
    address_id: int,
    ip: str,
    fcode: str = "",
    now: datetime | None = None,
) -> Order:
    """Take one unit of the edition in the round for the fan, held for SALES_HOLD_MINUTES
    until it is paid; raises SoldOut when none is left. A reserved fan buys from the
    round's start; with an F-code, any verified fan buys from the reserved share, also
    before the start. One live order per fan and round, and per delivery address.

    The lean part comes first: once the stock ran out, "sold out" comes from this
    process's memory, before the limits are counted; otherwise one short transaction takes
    the unit with one UPDATE and inserts the order (its unique constraints keep a fan or an
    address to one)."""
    now = now or timezone.now()
    facts = soldout.round_facts(round_id)
    if fcode:
        check_buy_limits(fan=fan, ip=ip, now=now)
        return _buy_with_fcode(
            fan=fan, facts=facts, edition_id=edition_id, address_id=address_id, code=fcode, now=now
        )
    if now < facts.starts_at:
        raise Conflict(_("This round has not started yet."))
    # Before the limits: an answer from memory costs nobody anything (the API's own
    # per-token limit still counts every call).
    if soldout.is_sold_out(round_id, edition_id):
        raise SoldOut(_("Sold out."))
    check_buy_limits(fan=fan, ip=ip, now=now)
    if connection.vendor == "postgresql":
        return _place(fan=fan, facts=facts, edition_id=edition_id, address_id=address_id, now=now)
    address = _reserved_address(fan, address_id, facts)
    return _take(fan=fan, facts=facts, edition_id=edition_id, address=address, fcode=None, now=now)


def _reserved_address(fan: User, address_id: int, facts: soldout.RoundFacts) -> Address:
    """The fan's address, if the fan reserved the launch and has no live order in the round
    (else the error that says which rule refused)."""
    address = _fans_address(fan, address_id, facts)
    if not address.reserved:  # type: ignore[attr-defined]
        raise Refused(_("Only fans who reserved may buy in this round (or bring an F-code)."))
    if address.has_order:  # type: ignore[attr-defined]
        raise Conflict(_("You already have an order in this round."))
    return address


def _fans_address(fan: User, address_id: int, facts: soldout.RoundFacts) -> Address:
    """The fan's address, with whether the fan reserved the launch (`reserved`) and has a
    live order in the round (`has_order`): one query where a round's rush made three."""
    reservation = Reservation.objects.filter(launch_id=facts.launch_id, fan=fan)
    live_order = Order.objects.filter(sale_round_id=facts.round_id, fan=fan, state__in=LIVE_STATES)
    address = (
        Address.objects.filter(pk=address_id, fan=fan)
        .annotate(reserved=Exists(reservation), has_order=Exists(live_order))
        .first()
    )
    if address is None:
        raise ValidationError({"address": _("Choose one of your delivery addresses.")})
    return address


def _take(
    *,
    fan: User,
    facts: soldout.RoundFacts,
    edition_id: int,
    address: Address,
    fcode: FCode | None,
    now: datetime,
) -> Order:
    round_id = facts.round_id
    if address.has_order:  # type: ignore[attr-defined]
        raise Conflict(_("You already have an order in this round."))
    found = (
        Allocation.objects.filter(sale_round_id=round_id, edition_id=edition_id)
        .values_list("pk", "edition__price", "edition__currency")
        .first()
    )
    if found is None:
        raise SoldOut(_("Sold out."))
    allocation_id, price, currency = found
    try:
        with transaction.atomic():
            order = Order.objects.create(
                fan=fan,
                allocation_id=allocation_id,
                sale_round_id=round_id,
                address=address,
                address_key=address.key,
                fcode=fcode,
                price=price,
                currency=currency,
                created_at=now,
                held_until=now + timedelta(minutes=_hold_minutes(fcode)),
            )
            OrderChange.objects.create(order=order, to_state=OrderState.HELD, at=now)
            if fcode is not None:
                FCode.objects.filter(pk=fcode.pk).update(used_at=now, holder=fan)
            record(
                "order.held",
                subject=order,
                actor=fan,
                round_id=round_id,
                edition_id=edition_id,
                fcode_id=fcode.pk if fcode else None,
                held_until=order.held_until.isoformat(),
            )
            # The unit is taken last: every attempt of the round waits for the lock on
            # this one row, which is then held for this statement and the commit only,
            # not for the order's inserts (no unit: the order is rolled back).
            if (
                sql.take_unit(round_id=round_id, edition_id=edition_id, fcode=fcode is not None)
                is None
            ):
                if fcode is None:
                    soldout.mark_sold_out(round_id, edition_id)
                raise SoldOut(_("Sold out."))
    except IntegrityError as error:
        raise _conflict(error) from error
    return order


def _conflict(error: IntegrityError) -> Conflict:
    """Another of the fan's attempts, or another order to this address, won the race."""
    if "address" in str(error):
        return Conflict({"address": _("This address already has an order in this round.")})
    return Conflict(_("You already have an order in this round."))


def _place(
    *, fan: User, facts: soldout.RoundFacts, edition_id: int, address_id: int, now: datetime
) -> Order:
    """`buy` for a reserved fan on PostgreSQL: the checks and `_take`'s rows in one
    statement (`sql.place_order` says why); when it placed nothing, one more query tells
    which rule refused, or that the stock ran out."""
    held_until = now + timedelta(minutes=_hold_minutes(None))
    # Outside a transaction the statement is one of its own; inside one (an
    # Idempotency-Key's), a savepoint keeps that one usable after a unique violation.
    scope = transaction.atomic() if connection.in_atomic_block else nullcontext()
    try:
        with scope:
            placed = sql.place_order(
                fan_id=fan.pk,
                launch_id=facts.launch_id,
                round_id=facts.round_id,
                edition_id=edition_id,
                address_id=address_id,
                now=now,
                held_until=held_until,
            )
    except IntegrityError as error:
        raise _conflict(error) from error
    if placed is None:
        _reserved_address(fan, address_id, facts)  # raises if a rule refused
        soldout.mark_sold_out(facts.round_id, edition_id)
        raise SoldOut(_("Sold out."))
    dispatch_on_commit("order.held")  # for its event, as `record` does
    return Order(
        pk=placed.order_id,
        fan=fan,
        allocation_id=placed.allocation_id,
        sale_round_id=facts.round_id,
        address_id=address_id,
        address_key=placed.address_key,
        state=OrderState.HELD,
        price=placed.price,
        currency=placed.currency,
        created_at=now,
        held_until=held_until,
    )


def normalise_code(code: str) -> str:
    """What a fan typed as the stored code: any case, with or without "F-" and dashes."""
    bare = "".join(c for c in code.upper() if c.isalnum())
    return bare[1:] if len(bare) == CODE_LENGTH + 1 and bare.startswith("F") else bare


def _buy_with_fcode(
    *,
    fan: User,
    facts: soldout.RoundFacts,
    edition_id: int,
    address_id: int,
    code: str,
    now: datetime,
) -> Order:
    """An F-code buys without a reservation, before or during the round, from its reserved
    share. Redeeming is limited (LIMIT_FCODE_REDEMPTIONS): codes cannot be guessed anyway,
    and nobody gets to try many."""
    check_sales_write(fan=fan, action="fcode", what=_("Too many F-code attempts for now"), now=now)
    address = _fans_address(fan, address_id, facts)
    fcode = FCode.objects.filter(code=normalise_code(code), launch_id=facts.launch_id).first()
    if fcode is None or fcode.voided_at is not None:
        raise ValidationError({"fcode": _("That is not an F-code for this launch.")})
    if fcode.holder_id not in (None, fan.pk):
        raise ValidationError({"fcode": _("That F-code belongs to another fan.")})
    if fcode.used_at is not None:
        raise Conflict({"fcode": _("That F-code has been used.")})
    if fcode.edition_id not in (None, edition_id):
        raise ValidationError({"fcode": _("That F-code is for another edition.")})
    # Two tabs redeeming one code at once: the used_at update below is conditional.
    with transaction.atomic():
        if not FCode.objects.filter(pk=fcode.pk, used_at__isnull=True).update(used_at=now):
            raise Conflict({"fcode": _("That F-code has been used.")})
        return _take(
            fan=fan, facts=facts, edition_id=edition_id, address=address, fcode=fcode, now=now
        )


# -- holds, payment, cancelling ------------------------------------------------------------


def _move(
    order: Order, to_state: str, *, now: datetime, note: str = "", actor: User | None = None
) -> None:
    """Change a locked order's state with its history row and event."""
    OrderChange.objects.create(
        order=order, from_state=order.state, to_state=to_state, note=note, at=now
    )
    from_state = order.state
    order.state = to_state
    fields = ["state"]
    if to_state == OrderState.PAID:
        order.paid_at = now
        fields.append("paid_at")
    order.save(update_fields=fields)
    record(
        f"order.{to_state}",
        subject=order,
        actor=actor,
        from_state=from_state,
        round_id=order.sale_round_id,
        fan_id=order.fan_id,
        price=str(order.price),
        currency=order.currency,
    )


def _give_back(order: Order) -> None:
    """The order's unit returns to its round (to the F-code share it came from, and the
    code may be used again)."""
    from_fcode = order.fcode_id is not None
    sql.give_back_unit(allocation_id=order.allocation_id, fcode=from_fcode)
    if order.fcode_id is not None:
        FCode.objects.filter(pk=order.fcode_id).update(used_at=None)
    allocation = Allocation.objects.values_list("sale_round_id", "edition_id").get(
        pk=order.allocation_id
    )
    # At once rather than on commit: a flag cleared for nothing costs one query, no more.
    soldout.mark_available(*allocation)


def expire_due_holds(*, now: datetime | None = None, limit: int = 500) -> int:
    """Orders held past their time expire and give their unit back; returns how many. Run
    by the scheduler every 15 seconds; idempotent (each order is locked and looked at
    again)."""
    now = now or timezone.now()
    due = list(
        Order.objects.filter(state=OrderState.HELD, held_until__lte=now)
        .order_by("held_until")
        .values_list("pk", flat=True)[:limit]
    )
    expired = 0
    for order_id in due:
        with transaction.atomic():
            order = (
                Order.objects.select_for_update().filter(pk=order_id, state=OrderState.HELD).first()
            )
            if order is None or order.held_until > now:
                continue
            _give_back(order)
            _move(order, OrderState.EXPIRED, now=now, note="not paid in time")
            expired += 1
    return expired


def confirm_payment(
    *,
    order_id: int,
    provider: str,
    reference: str,
    amount: Decimal,
    currency: str,
    now: datetime | None = None,
) -> Order:
    """The provider says the order was paid. Repeated confirmations of one payment change
    nothing; an order that already expired is not taken back (409: the provider refunds)."""
    now = now or timezone.now()
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        if Payment.objects.filter(provider=provider, reference=reference).exists():
            return order
        if order.state != OrderState.HELD:
            raise Conflict(
                _("This order is %(state)s and cannot be paid.")
                % {"state": order.get_state_display()}
            )
        # Too late: the hold expires now (the scheduler had not come to it yet).
        late = order.held_until <= now
        if late:
            _give_back(order)
            _move(order, OrderState.EXPIRED, now=now, note="not paid in time")
        else:
            if amount != order.price or currency != order.currency:
                raise ValidationError({"amount": _("The amount paid is not the order's price.")})
            Payment.objects.create(
                order=order,
                provider=provider,
                reference=reference,
                amount=amount,
                currency=currency,
                confirmed_at=now,
            )
            _move(order, OrderState.PAID, now=now, note=f"{provider} {reference}")
    if late:
        raise Conflict(_("The order expired before it was paid."))
    return order


def cancel_order(*, by: User, order: Order, now: datetime | None = None) -> Order:
    """The fan gives up a held order (its unit goes back at once); an engineer of the
    product may also cancel a paid one, which is then refunded."""
    now = now or timezone.now()
    product = order.sale_round.launch.product
    engineer = can_run_sales(by, product)
    if not can_see_order(by, order):
        raise PermissionDenied(_("This is not your order."))
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.state == OrderState.HELD:
            _give_back(locked)
            _move(locked, OrderState.CANCELLED, now=now, actor=by)
        elif locked.state == OrderState.PAID and engineer:
            _move(locked, OrderState.REFUNDED, now=now, actor=by, note="refunded")
        else:
            raise Conflict(_("This order can no longer be cancelled."))
    return locked


def ship_order(*, by: User, order: Order, now: datetime | None = None) -> Order:
    """An engineer marks a paid order shipped."""
    now = now or timezone.now()
    if not can_run_sales(by, order.sale_round.launch.product):
        raise PermissionDenied(_("Only the product's engineers ship its orders."))
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.state != OrderState.PAID:
            raise Conflict(_("Only a paid order ships."))
        _move(locked, OrderState.SHIPPED, now=now, actor=by)
    return locked


# -- F-codes -----------------------------------------------------------------------------

# 20 characters of 32 (no 0/O, 1/I/L): 100 bits, never guessed in the redemptions the
# limit lets anyone try.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 20


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """ "F-ABCD-EFGH-…": easier to read out and type."""
    return "F-" + "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def _issue(
    *,
    launch: Launch,
    reason: str,
    holder: User | None,
    by: User | None,
    edition: Edition | None = None,
    earned_for: str = "",
) -> FCode:
    fcode = FCode.objects.create(
        code=new_code(),
        launch=launch,
        edition=edition,
        holder=holder,
        reason=reason,
        issued_by=by,
        earned_for=earned_for,
    )
    record(
        "fcode.issued",
        subject=fcode,
        actor=by,
        launch_id=launch.pk,
        holder_id=holder.pk if holder else None,
        reason=reason,
        url=launch.get_absolute_url(),
    )
    return fcode


def issue_fcodes(
    *,
    by: User,
    launch: Launch,
    count: int = 1,
    holder: User | None = None,
    edition: Edition | None = None,
) -> list[FCode]:
    """An engineer's F-codes for the launch: to a fan, or unassigned (handed out at an
    event; the first fan to redeem one holds it)."""
    if not can_run_sales(by, launch.product):
        raise PermissionDenied(_("Only the product's engineers issue its F-codes."))
    if not 1 <= count <= 1000:
        raise ValidationError({"count": _("Between 1 and 1,000 codes at a time.")})
    if edition is not None and edition.launch_id != launch.pk:
        raise ValidationError({"edition": _("That edition is not in this launch.")})
    with transaction.atomic():
        return [
            _issue(
                launch=launch, reason=FCodeReason.ENGINEER, holder=holder, by=by, edition=edition
            )
            for _ in range(count)
        ]


def earn_fcode(*, fan: User, launch: Launch, reason: str, earned_for: str) -> FCode | None:
    """The system's F-code for a contribution (an award, a shipped idea, a referral): one
    per thing earned, however often its event is handled. None if already given."""
    with transaction.atomic():
        if FCode.objects.filter(launch=launch, reason=reason, earned_for=earned_for).exists():
            return None
        return _issue(launch=launch, reason=reason, holder=fan, by=None, earned_for=earned_for)


def earn_fcodes_for_standing(launch: Launch) -> int:
    """F-codes for the fans whose standing on the launch's product earns one: its testers
    in good standing, then the fans with the most points on it (README, "Direct sales").
    One such code per fan and launch however often this runs, so a fan who rises before a
    later round gets theirs then. Returns how many were issued."""
    issued = 0
    for fan, reason in _standing_fans(launch.product):
        key = f"standing:{fan.pk}"
        if FCode.objects.filter(launch=launch, earned_for=key).exists():
            continue
        issued += earn_fcode(fan=fan, launch=launch, reason=reason, earned_for=key) is not None
    return issued


def _standing_fans(product: Product) -> list[tuple[User, str]]:
    found: dict[int, tuple[User, str]] = {}
    programme = programme_of(product) if settings.SALES_FCODE_FOR_TESTERS else None
    if programme is not None:
        for tester in testers_of(programme).filter(fan__is_active=True):
            found.setdefault(tester.fan_id, (tester.fan, FCodeReason.TESTER))
    if settings.SALES_FCODE_FOR_POINTS > 0:
        leaders = (
            Total.objects.filter(
                product=product,
                points__gte=settings.SALES_FCODE_FOR_POINTS,
                fan__is_active=True,
            )
            .select_related("fan")
            .order_by("-points", "fan_id")[: settings.SALES_FCODE_FOR_POINTS_MAX]
        )
        for total in leaders:
            found.setdefault(total.fan_id, (total.fan, FCodeReason.POINTS))
    return list(found.values())


def gift_fcode(*, by: User, fcode: FCode, to: User) -> FCode:
    """Give one's unused F-code to another fan; a code changes hands once."""
    now = timezone.now()
    check_sales_write(fan=by, action="fcode", what=_("Too many F-code attempts for now"), now=now)
    if fcode.holder_id != by.pk:
        raise PermissionDenied(_("This is not your F-code."))
    if to.pk == by.pk:
        raise ValidationError({"to": _("Gift it to another fan.")})
    with transaction.atomic():
        given = FCode.objects.filter(
            pk=fcode.pk,
            holder=by,
            gifted_at__isnull=True,
            used_at__isnull=True,
            voided_at__isnull=True,
        ).update(holder=to, gifted_by=by, gifted_at=now)
        if not given:
            raise Conflict(_("This F-code was used or gifted already."))
        fcode.refresh_from_db()
        record(
            "fcode.gifted",
            subject=fcode,
            actor=by,
            launch_id=fcode.launch_id,
            to_id=to.pk,
            url=fcode.launch.get_absolute_url(),
        )
    return fcode


def next_launch(product_id: int, *, now: datetime) -> Launch | None:
    """The product's next launch that still has a round to come (F-codes earned now are for
    it); None when none is planned."""
    return (
        Launch.objects.filter(product_id=product_id, rounds__starts_at__gt=now)
        .order_by("rounds__starts_at")
        .first()
    )


def give_priority_passes(*, launch: Launch, round_id: int, fan_ids: list[int]) -> int:
    """Before a round, fans among `fan_ids` who reserved and went without a unit in at
    least SALES_PRIORITY_PASS_ROUNDS earlier rounds get a priority pass: an F-code whose
    hold lasts SALES_PRIORITY_PASS_HOLD_MINUTES, so their cart is kept for them. As many as
    the round's F-code share holds, first reserved first; once per fan and round."""
    needed = settings.SALES_PRIORITY_PASS_ROUNDS
    sale_round = SaleRound.objects.get(pk=round_id)
    earlier = SaleRound.objects.filter(launch=launch, starts_at__lt=sale_round.starts_at)
    if needed <= 0 or earlier.count() < needed:
        return 0
    share = sum(sale_round.allocations.values_list("fcode_units", flat=True))
    prefix = f"pass:{round_id}:"
    room = (
        share
        - FCode.objects.filter(
            launch=launch, reason=FCodeReason.PRIORITY, earned_for__startswith=prefix
        ).count()
    )
    lucky = set(
        Order.objects.filter(
            sale_round__in=earlier, fan_id__in=fan_ids, state__in=LIVE_STATES
        ).values_list("fan_id", flat=True)
    )
    given = 0
    for fan in User.objects.filter(pk__in=[f for f in fan_ids if f not in lucky]).order_by("pk"):
        if given >= room:
            break
        if earn_fcode(
            fan=fan, launch=launch, reason=FCodeReason.PRIORITY, earned_for=f"{prefix}{fan.pk}"
        ):
            given += 1
    return given


# -- referrals ---------------------------------------------------------------------------


def credit_referral(*, order_id: int) -> FCode | None:
    """A referred fan's first paid order credits their referrer with an F-code for the
    product's next launch (SALES_REFERRAL_CREDIT = "fcode"), once."""
    order = Order.objects.select_related("sale_round__launch").get(pk=order_id)
    referral = Referral.objects.filter(referred_id=order.fan_id, credited_at__isnull=True).first()
    if referral is None or order.state not in (OrderState.PAID, OrderState.SHIPPED):
        return None
    now = timezone.now()
    Referral.objects.filter(pk=referral.pk).update(credited_order=order, credited_at=now)
    if settings.SALES_REFERRAL_CREDIT != "fcode":
        return None
    launch = next_launch(order.sale_round.launch.product_id, now=now) or order.sale_round.launch
    return earn_fcode(
        fan=referral.referrer,
        launch=launch,
        reason=FCodeReason.REFERRAL,
        earned_for=f"order:{order.pk}",
    )


def withdraw_referral_credit(*, order_id: int) -> None:
    """A cancelled or refunded order credits nothing: its referral's unused F-code is voided
    and the referral may be credited by a later order."""
    referral = Referral.objects.filter(credited_order_id=order_id).first()
    if referral is None:
        return
    FCode.objects.filter(
        reason=FCodeReason.REFERRAL, earned_for=f"order:{order_id}", used_at__isnull=True
    ).update(voided_at=timezone.now())
    Referral.objects.filter(pk=referral.pk).update(credited_order=None, credited_at=None)


# -- round notices -----------------------------------------------------------------------


def rounds_to_announce(*, now: datetime) -> "QuerySet[SaleRound]":
    soon = now + timedelta(minutes=settings.SALES_NOTICE_MINUTES)
    return SaleRound.objects.filter(
        announced_at__isnull=True, starts_at__lte=soon, starts_at__gt=now
    )


def announce_due_rounds(*, now: datetime | None = None) -> list[SaleRound]:
    """Rounds starting within SALES_NOTICE_MINUTES are announced once: the event's consumer
    tells every fan who reserved (in-app and by email)."""
    now = now or timezone.now()
    announced = []
    for sale_round in rounds_to_announce(now=now).select_related("launch"):
        with transaction.atomic():
            if not SaleRound.objects.filter(pk=sale_round.pk, announced_at__isnull=True).update(
                announced_at=now
            ):
                continue
            record(
                "round.announced",
                subject=sale_round,
                launch_id=sale_round.launch_id,
                number=sale_round.number,
                starts_at=sale_round.starts_at.isoformat(),
                url=sale_round.launch.get_absolute_url(),
            )
            announced.append(sale_round)
    return announced
