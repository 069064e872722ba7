"""In-process cost of the API's busiest calls through the production WSGI app (the bench's
settings and URLs): the CPU (time.process_time), the SQL statements and the commits per
call, for one kind of call:

    products   GET /api/v1/products, a visitor's
    minimal    GET /bench/minimal, the floor (bench/urls.py)
    vote       PUT /api/v1/posts/{id}/vote, a new fan (token) each call, spread over posts
    hot        the same vote, all on one post
    tokenlist  GET /api/v1/posts?product=bench with a new bearer token each call
    list       the same list, a visitor's (BOARD_CACHE_SECONDS=0: rendered each time)

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/of_apifast_bench SECRET_KEY=… \
    ALLOWED_HOSTS=testserver BOARD_CACHE_SECONDS=1 LIMIT_API_PER_IP=off \
    .venv/bin/python -m orangefriday.bench.profile_api vote 250 [--first N] [--profile]

on a database holding `manage.py generate_community --quick`. The tokens used are
of_bench_<first>… (a vote needs fans who have not voted on the post yet: move --first on
between runs, or generate the community again); every token is made stale first, as in a
rush of new fans. `--profile` prints cProfile's top lines.
"""

import collections
import cProfile
import io
import os
import pstats
import random
import sys
import time
from collections.abc import Callable
from typing import Any


def _environ(method: str, path: str, query: str = "", token: str | None = None) -> dict:
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(b""),
        "HTTP_HOST": "testserver",
    }
    if token is not None:
        environ["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return environ


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orangefriday.bench.settings")
    import django

    django.setup()
    from django.db import connection

    from orangefriday.accounts.models import ApiToken
    from orangefriday.bench.community import MAIN, TOKEN_PREFIX
    from orangefriday.board.models import Post
    from orangefriday.wsgi import application

    kind, n = argv[0], int(argv[1])
    first = int(argv[argv.index("--first") + 1]) if "--first" in argv else 0
    posts = list(Post.objects.filter(product__slug=MAIN).values_list("pk", flat=True))
    hot = posts[0]
    rng = random.Random(first)

    def request(i: int) -> dict:
        token = f"{TOKEN_PREFIX}{first + i:07d}"
        if kind == "products":
            return _environ("GET", "/api/v1/products")
        if kind == "minimal":
            return _environ("GET", "/bench/minimal")
        if kind in ("tokenlist", "list"):
            signed = token if kind == "tokenlist" else None
            return _environ("GET", "/api/v1/posts", f"product={MAIN}", signed)
        post = hot if kind == "hot" else rng.choice(posts)
        return _environ("PUT", f"/api/v1/posts/{post}/vote", token=token)

    ApiToken.objects.update(last_used_at=None)  # as in the rush: every token is touched
    statements: collections.Counter[str] = collections.Counter()
    statuses: collections.Counter[str] = collections.Counter()
    commits = 0

    def count(execute: Callable, sql: str, params: object, many: bool, context: object) -> Any:
        nonlocal commits
        statements[" ".join(sql.split())[:70]] += 1
        if connection.get_autocommit() and not connection.in_atomic_block:
            commits += 1  # a statement on its own: its own transaction
        return execute(sql, params, many, context)

    def call(i: int) -> None:
        def start_response(status: str, headers: object) -> None:
            statuses[status[:3]] += 1

        response = application(request(i), start_response)
        b"".join(response)
        response.close()

    call(n)  # warm: the connection, the URL resolver, the schemas (token first+n)
    commit = connection.commit

    def counted_commit() -> None:
        nonlocal commits
        commits += 1
        commit()

    connection.commit = counted_commit  # type: ignore[method-assign]
    # CPU, not wall time: the machine is shared, and waiting on PostgreSQL costs no CPU.
    profiler = cProfile.Profile(time.process_time) if "--profile" in argv else None
    with connection.execute_wrapper(count):
        cpu, wall = time.process_time(), time.perf_counter()
        if profiler:
            profiler.enable()
        for i in range(n):
            call(i)
        if profiler:
            profiler.disable()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(
        f"{kind}: {n} calls {dict(statuses)}; CPU {cpu / n * 1000:.3f} ms/call,"
        f" wall {wall / n * 1000:.3f} ms/call; statements {sum(statements.values()) / n:.2f},"
        f" commits {commits / n:.2f} per call; load {os.getloadavg()[0]:.1f}"
    )
    for sql, k in statements.most_common():
        print(f"  {k / n:5.2f}  {sql}")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main(sys.argv[1:])
