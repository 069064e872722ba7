"""What every router of the JSON API shares: authentication and problem-details errors."""

import json
from datetime import datetime
from typing import Annotated, Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError
from ninja.renderers import JSONRenderer
from pydantic import BeforeValidator, ConfigDict, model_validator

from .converters import MAX_ID
from .errors import Conflict, Refused
from .forms import error_fields
from .limits import RateLimited
from .paging import MAX_PAGE

PROBLEM_TITLES = {
    400: "Bad request",
    401: "Not signed in",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Request too large",
    422: "Invalid input",
    429: "Too many requests",
    500: "Server error",
}


API_PATH = "/api/"


def is_api_request(request: HttpRequest) -> bool:
    """Whether the request is the JSON API's, whose errors are problem details, not pages."""
    return request.path.startswith(API_PATH)


def bearer_token(request: HttpRequest) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, or None without one."""
    return bearer_of(request.headers.get("Authorization", ""))


def bearer_of(authorization: str) -> str | None:
    """The token of an Authorization header's value `Bearer <token>`, or None."""
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def is_token_api_call(request: HttpRequest) -> bool:
    """An API call signed with a bearer token: its fan is the token's, whatever cookies it
    carries (accounts.api.BearerToken comes first and never falls back to the session)."""
    return is_api_request(request) and bearer_token(request) is not None


def problem_details(
    status: int, detail: str, errors: list[tuple[str, str]] | None = None
) -> dict[str, Any]:
    """An RFC 9457 problem-details body; `errors` names each offending field."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": PROBLEM_TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = [{"field": field, "message": message} for field, message in errors]
    return body


def problem(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    detail: str,
    errors: list[tuple[str, str]] | None = None,
) -> HttpResponse:
    """A problem-details response from inside the API (its renderer, its headers)."""
    response = api.create_response(request, problem_details(status, detail, errors), status=status)
    response["Content-Type"] = "application/problem+json"
    return response


def problem_response(
    status: int, detail: str, errors: list[tuple[str, str]] | None = None
) -> HttpResponse:
    """A problem-details response for an API request that Django answers itself: a path
    no route matches, an error no handler caught, a middleware's refusal."""
    return JsonResponse(
        problem_details(status, detail, errors),
        status=status,
        content_type="application/problem+json",
    )


_RENDERER = JSONRenderer()  # the API's own (OrangeFridayAPI keeps ninja's default)


def prebuilt_response(data: Any) -> HttpResponse:
    """A 200 of `data`, built by its view already in the shape its route declares, rendered
    as the API renders any answer. For the busiest reads: ninja's validation of a view's
    result (pydantic over every row, the row's attributes read through a lazy queryset)
    cost several times building it. The route's tests hold it to the schema."""
    content = json.dumps(data, cls=_RENDERER.encoder_class, **_RENDERER.json_dumps_params)
    return HttpResponse(
        content, content_type=f"{_RENDERER.media_type}; charset={_RENDERER.charset}"
    )


def _schema_field(loc: list[Any]) -> str:
    # ninja reports e.g. ["body", "payload", "title"] or ["query", "sort"]: drop the source
    # and, for bodies, the name of the view's parameter.
    parts = loc[2:] if loc and loc[0] == "body" else loc[1:]
    return ".".join(str(p) for p in parts)


def too_many(api: NinjaAPI, request: HttpRequest, exc: RateLimited) -> HttpResponse:
    """429 with Retry-After: a limit of core.limits is used up."""
    response = problem(api, request, 429, " ".join(exc.messages), error_fields(exc))
    response["Retry-After"] = str(exc.retry_after)
    return response


def _detail(errors: list[tuple[str, str]]) -> str:
    return "; ".join(f"{f}: {m}" if f else m for f, m in errors)


# Every operation may answer with a problem detail: say so once for all of them.
PROBLEM_SCHEMA = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}
PROBLEM_RESPONSE = {
    "description": "A problem detail (RFC 9457): 400 bad request, 401 not signed in, 403 not "
    "allowed, 404 not found, 409 conflict, 413 too large, 422 invalid input (with the field), "
    "429 too many requests (with Retry-After)",
    "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    "headers": {
        "Retry-After": {"description": "429: seconds to wait", "schema": {"type": "integer"}}
    },
}
ANONYMOUS_SCHEME = "Anonymous"


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """The API's OpenAPI document, completed: the problem details every operation may
    answer with, and signing in optional where visitors are let in (accounts.api.Anonymous
    stands for the empty requirement `{}`)."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    schemes = schema["components"].get("securitySchemes", {})
    schemes.pop(ANONYMOUS_SCHEME, None)
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            operation.setdefault("responses", {}).setdefault("4XX", PROBLEM_RESPONSE)
            security = operation.get("security")
            if security and {ANONYMOUS_SCHEME: []} in security:
                operation["security"] = [s for s in security if ANONYMOUS_SCHEME not in s] + [{}]
    return schema


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(SchemaValidationError)
    def schema_error(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
        errors = [(_schema_field(e.get("loc", [])), e.get("msg", "invalid")) for e in exc.errors]
        return problem(api, request, 422, _detail(errors) or "Invalid input.", errors)

    @api.exception_handler(Conflict)
    def conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
        errors = error_fields(exc)
        return problem(api, request, 409, _detail(errors), errors)

    @api.exception_handler(Refused)
    def refused(request: HttpRequest, exc: Refused) -> HttpResponse:
        errors = error_fields(exc)
        return problem(api, request, 403, _detail(errors), errors)

    @api.exception_handler(RateLimited)
    def limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
        return too_many(api, request, exc)

    @api.exception_handler(DjangoValidationError)
    def action_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        errors = error_fields(exc)
        return problem(api, request, 422, _detail(errors), errors)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        detail = str(exc.message)
        if isinstance(exc, AuthenticationError) and detail == "Unauthorized":
            detail = "Log in, or send Authorization: Bearer <token>."
        return problem(api, request, exc.status_code, detail)

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return problem(api, request, 403, str(exc) or "You may not do that.")

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem(api, request, 404, str(exc) or "Not found.")

    @api.exception_handler(ObjectDoesNotExist)
    def missing(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
        return problem(api, request, 404, str(exc) or "Not found.")

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return problem(api, request, 413, "The request body is too large.")


# Every id and page number the API reads: a database integer is signed 64-bit, and a
# larger number must be refused (422) before it overflows the database driver (a 500).
Id = Annotated[int, Field(ge=1, le=MAX_ID, description="An id")]
PageNumber = Annotated[int, Field(ge=1, le=MAX_PAGE, description="Pages start at 1")]


def _an_iso_string(value: Any) -> Any:
    # Lax datetime parsing (needed for strings under strict schemas) would also take a
    # number as seconds since 1970: `"until": 0` silenced a fan until 1970.
    if not isinstance(value, str):
        raise ValueError("Send a date and time as an ISO 8601 string.")
    return value


# A moment in a request body: an ISO 8601 string, nothing else.
IsoDateTime = Annotated[datetime, BeforeValidator(_an_iso_string), Field(strict=False)]


class InputSchema(Schema):
    """The base of every request body: a JSON object (ninja's Schema would read fields off
    any value, so `[null, null]` passed for an all-optional body), with strict types (no
    `false` for a number, no `"3"` for an id)."""

    model_config = ConfigDict(strict=True)

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data: Any) -> Any:
        # ninja hands the value over wrapped in its DjangoGetter.
        if not isinstance(getattr(data, "_obj", data), dict):
            raise ValueError("Send a JSON object.")
        return data
