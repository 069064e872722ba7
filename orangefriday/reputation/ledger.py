"""Writing the ledger and keeping its totals. Only the consumers (consumers.py) write it,
each inside the dispatcher's transaction for its event, so a row exists once per thing that
earned it; `rebuild` recomputes every total and medal from the rows alone."""

import time
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Count, F, Q, Sum

from orangefriday.core import leases
from orangefriday.core.events import LEASE as DISPATCHER_LEASE

from .models import Entry, Medal, Total
from .rules import medals_reached, points_for


@dataclass(frozen=True)
class Credit:
    """What one ledger row says: who, where, why, and the thing it came from."""

    fan_id: int
    product_id: int | None
    reason: str
    key: str
    source_type: str
    source_id: int
    at: datetime
    event_id: int | None = None
    note: str = ""
    url: str = ""
    # Given for the rows that undo an earlier one (rules.GIVEN_BACK); else the setting's.
    points: int | None = None


def balance(key: str) -> int:
    """The points that the rows of one thing hold: the row keyed `key` and those keyed
    `key:…` (the later rows of the same thing, each keyed by its event)."""
    rows = Entry.objects.filter(Q(key=key) | Q(key__startswith=f"{key}:"))
    return rows.aggregate(n=Sum("points"))["n"] or 0


def write(credit: Credit) -> Entry | None:
    """Add the row (None if its key is already in the ledger, or its points are set to 0),
    move the fan's totals and give the medals it reaches. Call inside a transaction."""
    points = points_for(credit.reason) if credit.points is None else credit.points
    if points == 0 or Entry.objects.filter(key=credit.key).exists():
        return None
    entry = Entry.objects.create(
        fan_id=credit.fan_id,
        product_id=credit.product_id,
        points=points,
        reason=credit.reason,
        key=credit.key,
        source_type=credit.source_type,
        source_id=credit.source_id,
        event_id=credit.event_id,
        note=credit.note[:200],
        url=credit.url[:300],
        created_at=credit.at,
    )
    for product_id in {credit.product_id, None}:
        _add(credit.fan_id, product_id, points)
    count = Entry.objects.filter(fan_id=credit.fan_id, reason=credit.reason).count()
    for medal in medals_reached(credit.reason, count):
        Medal.objects.get_or_create(
            fan_id=credit.fan_id, code=medal.code, defaults={"awarded_at": credit.at}
        )
    return entry


def _add(fan_id: int, product_id: int | None, points: int) -> None:
    rows = Total.objects.filter(fan_id=fan_id)
    rows = (
        rows.filter(product__isnull=True)
        if product_id is None
        else rows.filter(product_id=product_id)
    )
    if not rows.update(points=F("points") + points):
        Total.objects.create(fan_id=fan_id, product_id=product_id, points=points)


@dataclass(frozen=True)
class Rebuilt:
    totals: int
    changed: int
    medals: int


def rebuild() -> Rebuilt:
    """Recompute every total and medal from the ledger, in one transaction, while holding
    the dispatcher's lease so that no consumer writes meanwhile. Returns how many totals
    there are and how many differed from the kept ones."""
    holder = leases.new_holder()
    deadline = time.monotonic() + 120
    while not leases.take(DISPATCHER_LEASE, holder=holder, seconds=300):
        if time.monotonic() > deadline:
            raise RuntimeError("The event dispatcher kept its lease for two minutes; try again.")
        time.sleep(0.5)
    try:
        with transaction.atomic():
            return _rebuild()
    finally:
        leases.release(DISPATCHER_LEASE, holder=holder)


def _rebuild() -> Rebuilt:
    kept = {(t.fan_id, t.product_id): t.points for t in Total.objects.all()}
    fresh: dict[tuple[int, int | None], int] = {}
    for row in Entry.objects.values("fan_id", "product_id").annotate(n=Sum("points")).order_by():
        # A site-wide row (product None: a silence) counts only in the site total, once.
        if row["product_id"] is not None:
            fresh[(row["fan_id"], row["product_id"])] = row["n"]
        site = (row["fan_id"], None)
        fresh[site] = fresh.get(site, 0) + row["n"]
    changed = sum(1 for key in kept.keys() | fresh.keys() if kept.get(key) != fresh.get(key))
    Total.objects.all().delete()
    Total.objects.bulk_create(
        Total(fan_id=fan_id, product_id=product_id, points=points)
        for (fan_id, product_id), points in fresh.items()
    )
    Medal.objects.all().delete()
    medals = []
    counts = Entry.objects.values("fan_id", "reason").annotate(n=Count("id")).order_by()
    for row in counts:
        for medal in medals_reached(row["reason"], row["n"]):
            nth = (
                Entry.objects.filter(fan_id=row["fan_id"], reason=row["reason"])
                .order_by("created_at", "pk")
                .values_list("created_at", flat=True)[medal.count - 1]
            )
            medals.append(Medal(fan_id=row["fan_id"], code=medal.code, awarded_at=nth))
    Medal.objects.bulk_create(medals)
    return Rebuilt(totals=len(fresh), changed=changed, medals=len(medals))
