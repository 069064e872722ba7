"""The buy call, `POST /api/v1/rounds/{id}/buy`, as one function of a request: it is the
busiest call there is (a round of 1,000 units meets 100,000 attempts in a minute), so it
reads its input, its fan and its limits as cheaply as they can be read, then calls
`actions.buy`. The API's route (api.py) hands its requests here, and so does the lean WSGI
path (fastpath.py), which runs only the middleware this call needs: one way to buy.

- The fan comes from the bearer token, remembered by each process for
  SALES_TOKEN_CACHE_SECONDS (a revoked token buys for at most that long).
- The body is a JSON object {"edition": id, "address": id, "fcode": "…"} with strict types.
- Idempotency-Key is core's: the same key answers as the first call did.
"""

import json
import threading
import time
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from orangefriday.accounts.actions import user_for_token
from orangefriday.accounts.models import User
from orangefriday.core.api import problem_response
from orangefriday.core.converters import MAX_ID
from orangefriday.core.errors import Conflict, Refused
from orangefriday.core.forms import error_fields
from orangefriday.core.idempotency import HEADER, MAX_KEY_LENGTH, run_once
from orangefriday.core.limits import RateLimited
from orangefriday.core.requests import client_ip

from . import actions, soldout
from .models import Order, SaleRound

_tokens: dict[str, tuple[User | None, float]] = {}
_tokens_lock = threading.Lock()


def fan_for_token(raw: str) -> User | None:
    """The fan of a bearer token, from this process's memory when it was looked up in the
    last SALES_TOKEN_CACHE_SECONDS (unknown tokens too, so guessing costs no query)."""
    now = time.monotonic()
    found = _tokens.get(raw)
    if found is not None and found[1] > now:
        return found[0]
    fan = user_for_token(raw)
    with _tokens_lock:
        if len(_tokens) > 100_000:  # a flood of made-up tokens must not fill the memory
            _tokens.clear()
        _tokens[raw] = (fan, now + settings.SALES_TOKEN_CACHE_SECONDS)
    return fan


def forget_tokens() -> None:
    with _tokens_lock:
        _tokens.clear()


def order_body(order: Order) -> dict[str, Any]:
    return {
        "id": order.pk,
        "state": order.state,
        "round_id": order.sale_round_id,
        "allocation_id": order.allocation_id,
        "price": str(order.price),
        "currency": order.currency,
        "held_until": order.held_until.isoformat(),
        "fcode": order.fcode_id is not None,
        "pay_url": f"/api/v1/orders/{order.pk}/pay",
    }


def _problem(status: int, error: ValidationError) -> HttpResponse:
    errors = error_fields(error)
    detail = "; ".join(f"{f}: {m}" if f else m for f, m in errors)
    return problem_response(status, detail, errors)


def _invalid(field: str, message: str) -> HttpResponse:
    return problem_response(422, f"{field}: {message}", [(field, message)])


def _an_id(value: object) -> bool:
    return type(value) is int and 1 <= value <= MAX_ID


def _parse(body: bytes) -> dict[str, Any] | HttpResponse:
    try:
        data = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError):
        return _invalid("body", _("Send a JSON object."))
    if not isinstance(data, dict):
        return _invalid("body", _("Send a JSON object."))
    for field in ("edition", "address"):
        if not _an_id(data.get(field)):
            return _invalid(field, _("An id (a whole number from 1) is required."))
    fcode = data.get("fcode", "")
    if not isinstance(fcode, str) or len(fcode) > 64 or "\x00" in fcode:
        return _invalid("fcode", _("An F-code is text of up to 64 characters."))
    unknown = set(data) - {"edition", "address", "fcode"}
    if unknown:
        return _invalid(sorted(unknown)[0], _("Unknown field."))
    return data


def sold_out_answer(request: HttpRequest, round_id: int) -> HttpResponse | None:
    """ "Sold out" from this process's memory, or None to go on. Most of a round's attempts
    come after its stock ran out; they are answered before the token is looked up or any
    limit is counted (sold out is public: the launch page shows it, and answering costs
    less than counting would). Not with an Idempotency-Key, whose first answer may have
    been a unit (that is what a replay must say), nor with an F-code (its own share)."""
    if HEADER in request.headers:
        return None
    data = _parse(request.body)
    if isinstance(data, HttpResponse) or data.get("fcode"):
        return None
    if not soldout.is_sold_out(round_id, data["edition"]):
        return None
    return _problem(409, actions.SoldOut(_("Sold out.")))


def handle_buy(request: HttpRequest, round_id: int) -> HttpResponse:
    """201 with the order ("yours: pay within 15 minutes"), or a problem detail: 409 sold
    out or already bought, 403 not reserved or unverified, 429 over a limit, 401, 404,
    422."""
    if round_id > MAX_ID:
        return problem_response(404, _("No such sale round."))
    data = _parse(request.body)
    if isinstance(data, HttpResponse):
        return data
    answer = sold_out_answer(request, round_id)
    if answer is not None:
        return answer
    key = request.headers.get(HEADER)
    scheme, _sep, raw = request.headers.get("Authorization", "").partition(" ")
    fan = fan_for_token(raw.strip()) if scheme.lower() == "bearer" and raw.strip() else None
    if fan is None:
        return problem_response(401, _("Send Authorization: Bearer <token> (a live API token)."))
    if key is None:
        return _buy(request, fan, round_id, data)
    if not (1 <= len(key) <= MAX_KEY_LENGTH and key.isascii() and key.isprintable()):
        message = f"Up to {MAX_KEY_LENGTH} printable ASCII characters."
        return problem_response(422, f"{HEADER}: {message}", [(HEADER, message)])
    return run_once(request, fan.pk, key, lambda: _buy(request, fan, round_id, data))


def _buy(request: HttpRequest, fan: User, round_id: int, data: dict[str, Any]) -> HttpResponse:
    try:
        order = actions.buy(
            fan=fan,
            round_id=round_id,
            edition_id=data["edition"],
            address_id=data["address"],
            fcode=data.get("fcode", ""),
            ip=client_ip(request),
        )
    except SaleRound.DoesNotExist:
        return problem_response(404, _("No such sale round."))
    except RateLimited as error:
        response = _problem(429, error)
        response["Retry-After"] = str(error.retry_after)
        return response
    except Conflict as error:
        return _problem(409, error)
    except Refused as error:
        return _problem(403, error)
    except ValidationError as error:
        return _problem(422, error)
    except PermissionDenied as error:
        return problem_response(403, str(error))
    response = JsonResponse(order_body(order), status=201)
    response["Cache-Control"] = "no-store, private"
    return response
