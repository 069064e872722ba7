import hashlib
import json
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.utils.deprecation import MiddlewareMixin

from .api import bearer_token, is_api_request, is_token_api_call, problem_response
from .limits import RateLimited, hit
from .requests import client_ip

Handler = Callable[[HttpRequest], HttpResponse]

# Scripts only from our own origin: even if a fan's post slipped past the sanitiser, an inline
# script or an event handler would not run. Images only from us, so a post cannot make
# browsers fetch third-party URLs.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# The API's docs page runs Swagger UI from our own static files (django-ninja's bundle):
# still no script from anywhere else, but Swagger UI sets inline styles and calls the API.
DOCS_CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
DOCS_PATH = "/api/v1/docs"


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        docs = request.path.startswith(DOCS_PATH)
        policy = DOCS_CONTENT_SECURITY_POLICY if docs else CONTENT_SECURITY_POLICY
        response.headers.setdefault("Content-Security-Policy", policy)
        return response


def _strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string of a parsed JSON document, with its place ("tags.1")."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(str(key), path)
            yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}.{index}" if path else str(index))


def nul_field(request: HttpRequest) -> str | None:
    """The first part of a request that holds a NUL character ("path", "query: q", a form
    or JSON field), or None. PostgreSQL cannot store NUL in text, and nothing a fan writes
    needs one. Uploaded files may hold anything and are not looked at."""
    if "\x00" in request.path:
        return "path"
    for key, value in request.GET.items():
        if "\x00" in key or "\x00" in value:
            return key.replace("\x00", "")
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    # Reading a body over DATA_UPLOAD_MAX_MEMORY_SIZE raises RequestDataTooBig here, which
    # Django answers with the 413 page (or problem) as it would from the view.
    if request.content_type == "application/json":
        try:
            document = json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError):
            return None  # the API says what is wrong with it
        return next((place or "body" for place, text in _strings(document) if "\x00" in text), None)
    try:
        form = request.POST
    except MultiPartParserError:
        return None
    for key, value in form.items():
        if "\x00" in key or "\x00" in value:
            return key.replace("\x00", "")
    return None


class RefuseNulMiddleware:
    """A NUL character anywhere a fan can type is refused before any view runs: 422 with
    the field for the API (a problem detail), 400 with the field for pages."""

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        field = nul_field(request)
        if field is None:
            return self.get_response(request)
        message = "A NUL character (\\u0000) is not allowed."
        if is_api_request(request):
            return problem_response(422, f"{field}: {message}", [(field, message)])
        html = render_to_string(
            "core/bad_request.html", {"field": field, "message": message}, request=request
        )
        return HttpResponse(html, status=400)


class ApiRateLimitMiddleware:
    """Every API call counts against its bearer token's limit (LIMIT_API_PER_TOKEN), or,
    without one, its address's (LIMIT_API_PER_IP), before any view runs: over it, 429 with
    Retry-After. An unknown token counts too (guessing tokens is limited like the rest)."""

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_api_request(request) and not request.path.startswith(DOCS_PATH):
            try:
                self._count(request)
            except RateLimited as error:
                response = problem_response(429, error.messages[0])
                response["Retry-After"] = str(error.retry_after)
                return response
        return self.get_response(request)

    @staticmethod
    def _count(request: HttpRequest) -> None:
        limits = settings.RATE_LIMITS
        token = bearer_token(request)
        if token is not None:
            digest = hashlib.sha256(token.encode()).hexdigest()[:32]
            hit(
                "api_token",
                limits["api_token"],
                digest,
                message="Too many API calls with this token",
            )
        else:
            hit(
                "api_ip",
                limits["api_ip"],
                client_ip(request),
                message="Too many API calls from your address",
            )


class PrivateNoStoreMiddleware:
    """A response to a signed-in fan shows their own data (their bell, their votes, a token
    being created): no cache on the way may keep it (`Cache-Control: no-store`)."""

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # By the cookie, not request.user: looking the fan up would cost a query on pages
        # that must render without the database (the 500 page).
        signed_in = settings.SESSION_COOKIE_NAME in request.COOKIES
        if (signed_in or "Authorization" in request.headers) and "Cache-Control" not in response:
            response["Cache-Control"] = "no-store, private"
        return response


# -- middleware that only pages need ----------------------------------------------------
#
# An API call with a bearer token is signed in by its token in the view, answers JSON and
# sets no cookie: the session, the session's fan and the messages have nothing to do for
# it (with a session cookie along, the session and its fan were two queries, and the
# session's fan, not the token's, was who the limits and visits saw). One rule,
# `core.api.is_token_api_call`, lets it past each of them; every other request (every page,
# an API call signed in by its session, a visitor's) runs them as before. CSRF stays
# Django's own middleware: the API's views are exempt from it and check a session-signed
# write themselves (ninja's django_auth).


def page_only(middleware: type[MiddlewareMixin]) -> type[MiddlewareMixin]:
    """`middleware`, except that an API call with a bearer token goes straight past it
    (its process_view too)."""

    class PageOnly(middleware):  # type: ignore[valid-type,misc]
        def __call__(self, request: HttpRequest) -> Any:
            if is_token_api_call(request):
                self.skipped(request)
                return self.get_response(request)
            return super().__call__(request)

        def skipped(self, request: HttpRequest) -> None:
            """What the request holds instead of what `middleware` would have given it."""

    if hasattr(middleware, "process_view"):

        def process_view(self: Any, request: HttpRequest, *args: Any) -> Any:
            if is_token_api_call(request):
                return None
            return middleware.process_view(self, request, *args)

        PageOnly.process_view = process_view  # type: ignore[attr-defined]
    PageOnly.__name__ = PageOnly.__qualname__ = f"PageOnly{middleware.__name__}"
    return PageOnly


PageOnlySessionMiddleware = page_only(SessionMiddleware)
PageOnlyMessageMiddleware = page_only(MessageMiddleware)


_PageOnlyAuthentication = page_only(AuthenticationMiddleware)


class PageOnlyAuthenticationMiddleware(_PageOnlyAuthentication):  # type: ignore[misc,valid-type]
    def skipped(self, request: HttpRequest) -> None:
        # Nobody until the view's token authentication sets the token's fan.
        request.user = AnonymousUser()
