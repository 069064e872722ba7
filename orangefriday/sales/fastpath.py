"""The buy call's route on the production server's lean path (core/fastpath.py).

`POST /api/v1/rounds/<id>/buy` is the one call that a sale round makes a hundred thousand
times a minute. Its route answers "sold out" from memory when the round's stock ran out
(`buying.sold_out_answer`, no I/O at all), else `buying.handle_buy` (the same function
the API's route calls) behind the only middleware it needs, the API's per-token limit.
Sessions, CSRF, messages and the rest have nothing to do with a bearer-token call that
returns JSON.
"""

import re

from django.http import HttpRequest, HttpResponse

from orangefriday.core.fastpath import LEAN_MATCH, LeanRoute
from orangefriday.core.middleware import ApiRateLimitMiddleware

from .buying import handle_buy, sold_out_answer

BUY_PATH = re.compile(r"/api/v1/rounds/([0-9]{1,18})/buy")


def _round_id(request: HttpRequest) -> int:
    return int(request.META[LEAN_MATCH].group(1))


def _buy(request: HttpRequest) -> HttpResponse:
    return handle_buy(request, _round_id(request))


_limited_buy = ApiRateLimitMiddleware(_buy)


def _answer(request: HttpRequest) -> HttpResponse:
    return sold_out_answer(request, _round_id(request)) or _limited_buy(request)


BUY = LeanRoute(frozenset({"POST"}), BUY_PATH, _answer)
