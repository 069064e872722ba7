"""The lean path of the buy call for the production server (orangefriday/wsgi.py).

`POST /api/v1/rounds/<id>/buy` is the one call that a sale round makes a hundred thousand
times a minute; Django's whole request path (every middleware, the URL resolver, ninja's
parsing and authentication) costs several times what the call itself does. This WSGI
wrapper answers that one path itself: "sold out" from memory when the round's stock ran
out (`buying.sold_out_answer`, no I/O at all), else `buying.handle_buy` (the same
function the API's route calls) behind the only middleware it needs, the API's per-token
limit. Sessions, CSRF, messages and the rest have nothing to do with a bearer-token call
that returns JSON. Every other request goes to Django as usual.

Django's own bookkeeping is kept: request_started and request_finished (so connections
are returned to the pool and old ones closed), and an error is logged and answered with a
500 problem detail.
"""

import logging
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.core import signals
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpRequest, HttpResponse

from orangefriday.core.api import problem_response
from orangefriday.core.middleware import ApiRateLimitMiddleware

from .buying import handle_buy, sold_out_answer

logger = logging.getLogger("django.request")

BUY_PATH = re.compile(r"/api/v1/rounds/([0-9]{1,18})/buy")

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def _buy(request: HttpRequest) -> HttpResponse:
    return handle_buy(request, request._round_id)  # type: ignore[attr-defined]


class LeanBuyPath:
    def __init__(self, application: WSGIApp) -> None:
        self.application = application
        self.handler = ApiRateLimitMiddleware(_buy)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        found = BUY_PATH.fullmatch(environ.get("PATH_INFO", ""))
        if found is None or environ.get("REQUEST_METHOD") != "POST":
            return self.application(environ, start_response)
        signals.request_started.send(sender=self.__class__, environ=environ)
        request = WSGIRequest(environ)
        request._round_id = int(found.group(1))  # type: ignore[attr-defined]
        try:
            round_id = request._round_id  # type: ignore[attr-defined]
            response = sold_out_answer(request, round_id) or self.handler(request)
        except Exception:
            logger.exception("The lean buy path failed on %s", request.path)
            response = problem_response(500, "Something went wrong on our side.")
        response._resource_closers.append(request.close)  # type: ignore[attr-defined]
        start_response(f"{response.status_code} {response.reason_phrase}", list(response.items()))
        # The server closes the response when it is sent, which sends request_finished.
        return response
