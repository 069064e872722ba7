"""The raw SQL of a sale: taking one unit is one statement, the same the benchmark gives
pgbench (orangefriday/bench/pgbench_take_unit.sql). Plain SQL both databases run
(SQLite 3.35+ has RETURNING)."""

import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache

from django.db import connection

from orangefriday.core.models import Event

from .models import (
    LIVE_STATES,
    Address,
    Allocation,
    Edition,
    Order,
    OrderChange,
    OrderState,
    Reservation,
)

# The share an F-code takes from is another column of the same row.
_TAKE = """
UPDATE {table} SET {column} = {column} - 1
WHERE sale_round_id = %s AND edition_id = %s AND {column} > 0
RETURNING id
"""
_GIVE_BACK = "UPDATE {table} SET {column} = {column} + 1 WHERE id = %s"


def _statement(template: str, *, fcode: bool) -> str:
    return template.format(
        table=connection.ops.quote_name(Allocation._meta.db_table),
        column="fcode_units_left" if fcode else "units_left",
    )


def take_unit(*, round_id: int, edition_id: int, fcode: bool) -> int | None:
    """Take one unit of the edition in the round (from the F-code share with `fcode`); the
    allocation's id, or None when none is left. The row stays locked until commit."""
    with connection.cursor() as cursor:
        cursor.execute(_statement(_TAKE, fcode=fcode), [round_id, edition_id])
        row = cursor.fetchone()
    return row[0] if row else None


def give_back_unit(*, allocation_id: int, fcode: bool) -> None:
    with connection.cursor() as cursor:
        cursor.execute(_statement(_GIVE_BACK, fcode=fcode), [allocation_id])


# PostgreSQL: a reserved fan's whole buying attempt in one statement: the checks (the
# address is the fan's, the fan reserved the launch, has no live order in the round), the
# unit, the order, its first history row and its event. Run outside a transaction it is a
# transaction of its own, committed by the server as it ends: the round's row is locked
# for this statement and its commit only. As separate statements the row stayed locked
# while the web thread waited for a core to send the next one (every attempt of the round
# queues for that row), and each check was one more round trip. A unique violation (the
# fan or the address already has an order, a race the check cannot see) undoes the whole
# statement, the unit included. No row: a check failed or no unit is left (the caller
# asks which).
_PLACE_ORDER = """
WITH unit AS (
    UPDATE {allocation} AS a SET units_left = a.units_left - 1
    FROM {edition} AS e, {address} AS ad
    WHERE a.sale_round_id = %(round)s AND a.edition_id = %(edition)s AND a.units_left > 0
      AND e.id = a.edition_id
      AND ad.id = %(address)s AND ad.fan_id = %(fan)s
      AND EXISTS (SELECT 1 FROM {reservation} AS r
                  WHERE r.launch_id = %(launch)s AND r.fan_id = %(fan)s)
      AND NOT EXISTS (SELECT 1 FROM {order} AS o
                      WHERE o.sale_round_id = %(round)s AND o.fan_id = %(fan)s
                        AND o.state = ANY(%(live)s))
    RETURNING a.id, e.price, e.currency, ad.key
), placed AS (
    INSERT INTO {order} (fan_id, allocation_id, sale_round_id, address_id, address_key,
                         fcode_id, state, price, currency, created_at, held_until, paid_at)
    SELECT %(fan)s, unit.id, %(round)s, %(address)s, unit.key,
           NULL, %(state)s, unit.price, unit.currency, %(now)s, %(held_until)s, NULL
    FROM unit
    RETURNING id, allocation_id, price, currency, address_key
), history AS (
    INSERT INTO {change} (order_id, from_state, to_state, note, at)
    SELECT placed.id, '', %(state)s, '', %(now)s FROM placed
), event AS (
    INSERT INTO {event} (kind, subject_type, subject_id, actor_id, payload, created_at,
                         pending)
    SELECT 'order.held', %(subject_type)s, placed.id, %(fan)s, %(payload)s::jsonb, %(now)s,
           TRUE
    FROM placed
)
SELECT id, allocation_id, price, currency, address_key FROM placed
"""


@dataclass(frozen=True)
class Placed:
    order_id: int
    allocation_id: int
    price: Decimal
    currency: str
    address_key: str


@cache  # the same text for every attempt
def _place_order_statement() -> str:
    quote = connection.ops.quote_name
    return _PLACE_ORDER.format(
        allocation=quote(Allocation._meta.db_table),
        edition=quote(Edition._meta.db_table),
        address=quote(Address._meta.db_table),
        reservation=quote(Reservation._meta.db_table),
        order=quote(Order._meta.db_table),
        change=quote(OrderChange._meta.db_table),
        event=quote(Event._meta.db_table),
    )


def place_order(
    *,
    fan_id: int,
    launch_id: int,
    round_id: int,
    edition_id: int,
    address_id: int,
    now: datetime,
    held_until: datetime,
) -> Placed | None:
    """PostgreSQL only: if the address is the fan's, the fan reserved the launch and has no
    live order in the round, take one unit and place the fan's held order with its history
    row and its `order.held` event (the payload `record` would write); None when a check
    failed or no unit is left."""
    payload = {
        "round_id": round_id,
        "edition_id": edition_id,
        "fcode_id": None,
        "held_until": held_until.isoformat(),
    }
    with connection.cursor() as cursor:
        cursor.execute(
            _place_order_statement(),
            {
                "round": round_id,
                "launch": launch_id,
                "edition": edition_id,
                "fan": fan_id,
                "address": address_id,
                "live": [state.value for state in LIVE_STATES],
                "state": OrderState.HELD.value,
                "now": now,
                "held_until": held_until,
                "subject_type": Order._meta.label_lower,
                "payload": json.dumps(payload),
            },
        )
        row = cursor.fetchone()
    return Placed(*row) if row else None
