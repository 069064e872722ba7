"""What each web process remembers between requests so that the rush of a sale round
costs no database query once it is over:

- a sold-out flag per (round, edition) for SALES_SOLD_OUT_SECONDS: after the stock ran out,
  "sold out" is answered from memory. A unit given back by an expired hold is seen by
  each process within that time (the process that gave it back clears its flag at once).
- each round's start and launch, for the same reason (rounds do not move once announced).

Per process and not shared: a flag costs nothing to read, and a process that has not seen
the stock run out yet asks the database once (one UPDATE that takes nothing).
"""

import threading
import time
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings

_lock = threading.Lock()
_sold_out: dict[tuple[int, int], float] = {}


def is_sold_out(round_id: int, edition_id: int) -> bool:
    until = _sold_out.get((round_id, edition_id))
    return until is not None and until > time.monotonic()


def mark_sold_out(round_id: int, edition_id: int) -> None:
    seconds = settings.SALES_SOLD_OUT_SECONDS
    if seconds > 0:
        with _lock:
            _sold_out[(round_id, edition_id)] = time.monotonic() + seconds


def mark_available(round_id: int, edition_id: int) -> None:
    with _lock:
        _sold_out.pop((round_id, edition_id), None)


def forget() -> None:
    """Drop every flag (tests, and a round whose stock an engineer changed)."""
    with _lock:
        _sold_out.clear()
        _rounds.clear()


@dataclass(frozen=True)
class RoundFacts:
    round_id: int
    launch_id: int
    product_id: int
    starts_at: datetime


_rounds: dict[int, tuple[RoundFacts, float]] = {}


def round_facts(round_id: int) -> RoundFacts:
    """The round's start and launch, from memory for ten times SALES_SOLD_OUT_SECONDS; raises
    SaleRound.DoesNotExist."""
    from .models import SaleRound

    found = _rounds.get(round_id)
    now = time.monotonic()
    if found is not None and found[1] > now:
        return found[0]
    launch_id, product_id, starts_at = SaleRound.objects.values_list(
        "launch_id", "launch__product_id", "starts_at"
    ).get(pk=round_id)
    facts = RoundFacts(round_id, launch_id, product_id, starts_at)
    with _lock:
        _rounds[round_id] = (facts, now + settings.SALES_SOLD_OUT_SECONDS * 10)
    return facts
