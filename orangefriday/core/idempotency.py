"""`Idempotency-Key` for the API's creating calls: a client that lost the answer (a dropped
connection, a retry, a double tap) sends the call again with the same key and gets the
first answer back, and nothing is created twice, also when the copies arrive at once.

One call for any route: `@idempotent(who)` under its router decorator, where `who(request)`
names the fan (accounts.api binds it: `from orangefriday.accounts.api import idempotent`).

How: the whole call runs in one transaction that first inserts the (fan, key) row. A copy
arriving meanwhile waits on that insert (PostgreSQL's unique index; SQLite's single
writer) until the first commits, then finds the row and replays its answer. An answer
other than 2xx is rolled back with everything else, so the key can be used again.
"""

import hashlib
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja.decorators import decorate_view
from ninja.utils import contribute_operation_callback

from .api import problem_response
from .models import IdempotentRequest

HEADER = "Idempotency-Key"
KEPT_FOR = timedelta(hours=24)
MAX_KEY_LENGTH = 255

OPENAPI_PARAMETER = {
    "in": "header",
    "name": HEADER,
    "required": False,
    "description": "Any string of your own (e.g. a UUID), up to 255 printable ASCII "
    "characters. The same key within 24 hours returns the first answer and creates nothing "
    "more; replays carry `Idempotent-Replayed: true`.",
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
}


def _valid_key(key: str) -> bool:
    return 1 <= len(key) <= MAX_KEY_LENGTH and key.isascii() and key.isprintable()


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    digest.update(request.body)
    return digest.hexdigest()


def _claim(fan_id: int, key: str, fingerprint: str) -> bool:
    """Insert the row unless the key is taken; True when this call owns it."""
    table = connection.ops.quote_name(IdempotentRequest._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (fan_id, key, fingerprint, status, content_type, body,"
            " created_at) VALUES (%s, %s, %s, 0, '', %s, %s) ON CONFLICT (fan_id, key) DO NOTHING",
            [
                fan_id,
                key,
                fingerprint,
                b"",
                connection.ops.adapt_datetimefield_value(timezone.now()),
            ],
        )
        return cursor.rowcount == 1


def _replay(row: IdempotentRequest) -> HttpResponse:
    response = HttpResponse(bytes(row.body), status=row.status, content_type=row.content_type)
    response["Idempotent-Replayed"] = "true"
    return response


def run_once(request: HttpRequest, fan_id: int, key: str, call: Callable[[], Any]) -> Any:
    """`call()`'s response, or the stored one of the first call with this fan and key."""
    fingerprint = _fingerprint(request)
    with transaction.atomic():
        IdempotentRequest.objects.filter(
            fan_id=fan_id, created_at__lt=timezone.now() - KEPT_FOR
        ).delete()
        if not _claim(fan_id, key, fingerprint):
            row = IdempotentRequest.objects.get(fan_id=fan_id, key=key)
            if row.fingerprint != fingerprint:
                message = "This key was used for another request; use a new key."
                return problem_response(422, f"{HEADER}: {message}", [(HEADER, message)])
            return _replay(row)
        response = call()
        if not 200 <= response.status_code < 300:
            transaction.set_rollback(True)  # nothing of it is kept, the key included
            return response
        IdempotentRequest.objects.filter(fan_id=fan_id, key=key).update(
            status=response.status_code,
            content_type=response.get("Content-Type", ""),
            body=response.content,
        )
    return response


def idempotent(who: Callable[[HttpRequest], int | None]) -> Callable[[Any], Any]:
    """A decorator for a ninja route (put it under the router's): honour `Idempotency-Key`
    for the fan `who(request)` names (None: not signed in, the route answers 401 itself)."""

    def guard(run: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(run)
        def run_idempotently(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            key = request.headers.get(HEADER)
            if key is None:
                return run(request, *args, **kwargs)
            if not _valid_key(key):
                message = f"Up to {MAX_KEY_LENGTH} printable ASCII characters."
                return problem_response(422, f"{HEADER}: {message}", [(HEADER, message)])
            fan_id = who(request)
            if fan_id is None:
                return run(request, *args, **kwargs)
            return run_once(request, fan_id, key, lambda: run(request, *args, **kwargs))

        return run_idempotently

    def document(operation: Any) -> None:
        extra = operation.openapi_extra or {}
        extra.setdefault("parameters", []).append(OPENAPI_PARAMETER)
        operation.openapi_extra = extra

    def decorate(view: Any) -> Any:
        # decorate_view is kept when ninja copies the operation for each API it mounts.
        decorate_view(guard)(view)
        contribute_operation_callback(view, document)
        return view

    return decorate
