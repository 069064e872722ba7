"""What the in-process profilers share (profile_board, profile_post, profile_api,
profile_buy): a call made N times, and per call its CPU (time.process_time: the machine is
shared, and waiting on PostgreSQL costs no CPU), its wall time, its SQL statements and its
commits; with `profile`, cProfile's top lines timed in CPU (PROFILE_SORT, default
cumulative; PROFILE_LINES, default 45). Django must be set up before it is imported."""

import collections
import cProfile
import io
import os
import pstats
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection


def wsgi_environ(
    method: str, path: str, *, query: str = "", token: str | None = None, json: bytes = b""
) -> dict[str, Any]:
    """A request as gunicorn hands it to the production WSGI application."""
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(json),
    }
    if json:
        environ["CONTENT_TYPE"], environ["CONTENT_LENGTH"] = "application/json", str(len(json))
    if token is not None:
        environ["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return environ


def call_wsgi(environ: dict[str, Any]) -> str:
    """Serve one request through the production WSGI application, as the server does
    (its body read, then closed); its status code."""
    from orangefriday.wsgi import application  # only the WSGI profilers need it

    status = ""

    def start_response(line: str, headers: object) -> None:
        nonlocal status
        status = line[:3]

    response = application(environ, start_response)
    b"".join(response)
    response.close()  # type: ignore[attr-defined]
    return status


def measure(
    call: Callable[[int], object], calls: Iterable[int], *, what: str, profile: bool
) -> None:
    """Make `call(i)` for each i of `calls` and print what each cost (see the module)."""
    statements: collections.Counter[str] = collections.Counter()
    commits = 0

    def count(execute: Callable, sql: str, params: object, many: bool, context: object) -> Any:
        nonlocal commits
        statements[" ".join(sql.split())[:90]] += 1
        if connection.get_autocommit() and not connection.in_atomic_block:
            commits += 1  # a statement on its own: its own transaction
        return execute(sql, params, many, context)

    commit = connection.commit

    def counted_commit() -> None:
        nonlocal commits
        commits += 1
        commit()

    made = list(calls)
    profiler = cProfile.Profile(time.process_time) if profile else None
    connection.commit = counted_commit  # type: ignore[method-assign]
    try:
        with connection.execute_wrapper(count):
            cpu, wall = time.process_time(), time.perf_counter()
            if profiler:
                profiler.enable()
            for i in made:
                call(i)
            if profiler:
                profiler.disable()
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    finally:
        del connection.commit  # the class's own again
    n = len(made)
    print(
        f"{what}: {n} calls; CPU {cpu / n * 1000:.2f} ms/call, wall {wall / n * 1000:.2f}"
        f" ms/call; statements {sum(statements.values()) / n:.2f}, commits {commits / n:.2f}"
        f" per call; load {os.getloadavg()[0]:.1f}"
    )
    for sql, k in statements.most_common():
        print(f"  {k / n:5.2f}  {sql}")
    if profiler:
        order = os.environ.get("PROFILE_SORT", "cumulative").split(",")
        pstats.Stats(profiler).sort_stats(*order).print_stats(
            int(os.environ.get("PROFILE_LINES", "45"))
        )
