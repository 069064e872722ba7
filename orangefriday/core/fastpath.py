"""The lean path of the API's hottest calls, for the production server (orangefriday/wsgi.py).

A few calls come by the thousand a second: a sale round's buy, a vote. Django's whole
request path (every middleware, the URL resolver) costs a good part of what such a call
itself does. This WSGI wrapper answers the calls of a small route table, each with only
the middleware its call needs, and hands every other request to Django as usual.

A route's answer is the same function its API route runs, never a copy of it: for a vote,
the very view Django's resolver finds for the path (ninja's: its authentication, its
parameters, the view, its answer and its errors: the same bytes), behind the project's
middleware less those a bearer-token call has nothing to do with (`TOKEN_CALL_SKIPS`).

Django's own request handling is kept (`django.core.handlers.wsgi.WSGIHandler`): the
request_started and request_finished signals (connections back to the pool, old ones
closed), an error turned into its answer as Django turns it (a 500 problem detail for the
API, logged), 4xx and 5xx logged, cookies, the request closed with the response.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponse
from django.urls import resolve
from django.utils.module_loading import import_string

from .api import bearer_of

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
Answer = Callable[[HttpRequest], HttpResponse]

# Where a route's answer finds the match of its path (the request's META is its environ).
LEAN_MATCH = "orangefriday.lean_match"

# What a bearer-token API call skips of settings.MIDDLEWARE, each for nothing to do: the
# static files are not under /api/; a token call has no session (core.middleware.page_only
# lets it past), so no CSRF to check (the API's views are exempt anyway; only a malformed
# CSRF cookie sent along would have been replaced), no messages and no session stamp of
# its writes (core.pagecache); the fan's own language and zone come from the session's fan
# (a token's is known only in the view). Every other middleware runs, in its order.
TOKEN_CALL_SKIPS = frozenset(
    {
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "orangefriday.core.middleware.PageOnlySessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "orangefriday.accounts.middleware.FanPreferencesMiddleware",
        "orangefriday.core.pagecache.ActedMiddleware",
        "orangefriday.core.middleware.PageOnlyMessageMiddleware",
    }
)
# Hooks that only Django's URL resolving runs: a kept middleware must not need them.
_VIEW_HOOKS = ("process_view", "process_exception", "process_template_response")


@dataclass(frozen=True)
class LeanRoute:
    """`methods` on a path that `path` matches whole, answered by `answer`, which finds the
    match in `request.META[LEAN_MATCH]`. With `tokens_only`, a call without a bearer token
    (a session's, with its CSRF check) goes to Django."""

    methods: frozenset[str]
    path: re.Pattern[str]
    answer: Answer
    tokens_only: bool = False


def token_middleware(view: Answer) -> Answer:
    """`view` behind settings.MIDDLEWARE less TOKEN_CALL_SKIPS, each middleware wrapped as
    Django wraps it (an exception becomes its error answer)."""
    handler: Any = convert_exception_to_response(view)
    for name in reversed(settings.MIDDLEWARE):
        if name in TOKEN_CALL_SKIPS:
            continue
        middleware = import_string(name)
        if any(hasattr(middleware, hook) for hook in _VIEW_HOOKS):
            raise ImproperlyConfigured(f"{name} needs Django's URL resolving: skip it here.")
        handler = convert_exception_to_response(middleware(handler))
    return handler


def api_view_route(methods: Iterable[str], path: str, example: str) -> LeanRoute:
    """A route answered by the view Django resolves `example` to (an API route's), with the
    path's named groups as its arguments, behind `token_middleware`; for bearer-token calls
    only. `path` must match what that URL pattern matches (the tests hold it to it)."""
    view = resolve(example).func

    def answer(request: HttpRequest) -> HttpResponse:
        return view(request, **request.META[LEAN_MATCH].groupdict())

    return LeanRoute(frozenset(methods), re.compile(path), token_middleware(answer), True)


class _RouteHandler(WSGIHandler):
    """Django's WSGI handling of a request, with `answer` as its whole middleware chain."""

    def __init__(self, answer: Answer) -> None:  # not WSGIHandler's: it loads MIDDLEWARE
        self._middleware_chain = convert_exception_to_response(answer)


class LeanApiPath:
    def __init__(self, application: WSGIApp, routes: Iterable[LeanRoute]) -> None:
        self.application = application
        self.routes = [(route, _RouteHandler(route.answer)) for route in routes]

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD")
        for route, handler in self.routes:
            found = route.path.fullmatch(path)
            if found is None or method not in route.methods:
                continue
            # The API's rule for a token call (core.api.is_token_api_call), on the header.
            if route.tokens_only and bearer_of(environ.get("HTTP_AUTHORIZATION", "")) is None:
                break
            environ[LEAN_MATCH] = found
            return handler(environ, start_response)
        return self.application(environ, start_response)
