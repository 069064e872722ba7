"""In-process cost of buying attempts through the production WSGI app: N reserved fans of
the benchmark's generated community each make one attempt on a fresh round of N units;
prints the CPU (time.process_time) and the SQL statements per attempt.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/of_sale_prof \
    REDIS_URL=redis://127.0.0.1:6379/0 SECRET_KEY=x LIMIT_BUYS_PER_IP=off \
    .venv/bin/python -m orangefriday.bench.profile_buy 1000 [--profile] [--no-touch] [--no-limits]

on a database holding `manage.py generate_community --quick`. `--no-touch` and `--no-limits`
price one piece each by leaving it out (the token's last-use write, the limit counters);
`--profile` prints cProfile's top lines.
"""

import collections
import cProfile
import io
import json
import os
import pstats
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import django

if TYPE_CHECKING:
    from orangefriday.bench.sale import Setup


def _environ(setup: "Setup", i: int) -> dict[str, object]:
    body = json.dumps({"edition": setup.edition_id, "address": setup.address0 + i}).encode()
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": f"/api/v1/rounds/{setup.round_id}/buy",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "HTTP_AUTHORIZATION": f"Bearer of_bench_{i:07d}",
        "HTTP_HOST": "localhost",
    }


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orangefriday.settings")
    django.setup()
    from django.db import connection
    from django.utils import timezone

    from orangefriday.accounts.models import ApiToken
    from orangefriday.bench import sale
    from orangefriday.core import limits
    from orangefriday.wsgi import application

    n = int(argv[0])
    if "--no-limits" in argv:
        limits.storage().incr = lambda *a, **k: 0  # type: ignore[method-assign]
    setup = sale.prepare(units=n, tokens=n, fan0=sale.first_fan())
    # As in the rush, every token is stale and written; --no-touch: every one just used.
    ApiToken.objects.update(last_used_at=timezone.now() if "--no-touch" in argv else None)
    statements: collections.Counter[str] = collections.Counter()
    statuses: collections.Counter[str] = collections.Counter()

    def count(execute: Callable, sql: str, params: object, many: bool, context: object):
        statements[" ".join(sql.split())[:70]] += 1
        return execute(sql, params, many, context)

    def attempt(i: int) -> None:
        def start_response(status: str, headers: object) -> None:
            statuses[status[:3]] += 1

        response = application(_environ(setup, i), start_response)
        b"".join(response)
        response.close()

    attempt(0)  # warm: the round's facts, the connection
    profiler = cProfile.Profile() if "--profile" in argv else None
    with connection.execute_wrapper(count):
        cpu, wall = time.process_time(), time.perf_counter()
        if profiler:
            profiler.enable()
        for i in range(1, n):
            attempt(i)
        if profiler:
            profiler.disable()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(
        f"{n - 1} attempts: {dict(statuses)}; CPU {cpu / (n - 1) * 1000:.2f} ms/attempt,"
        f" wall {wall / (n - 1) * 1000:.2f} ms/attempt; load {os.getloadavg()[0]:.1f}"
    )
    print(f"statements per attempt: {sum(statements.values()) / (n - 1):.2f}")
    for sql, k in statements.most_common():
        print(f"  {k / (n - 1):5.2f}  {sql}")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    main(sys.argv[1:])
