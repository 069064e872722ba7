"""Tests that call a WSGI application themselves, as the server does (the lean API path,
core/fastpath.py, sits in front of Django's)."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core import signals
from django.db import close_old_connections


@pytest.fixture
def keep_the_test_connection() -> Iterator[None]:
    """As Django's test client does: the test's transaction must outlive each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def serve(app: Callable[..., Any], environ: dict[str, Any]) -> tuple[str, list, bytes]:
    """One request through `app`: its status line, its headers and its body (read, then
    closed, as a server does)."""
    answer: dict[str, Any] = {}

    def start_response(status: str, headers: list) -> None:
        answer["status"], answer["headers"] = status, headers

    response = app(environ, start_response)
    body = b"".join(response)
    response.close()
    return answer["status"], answer["headers"], body
