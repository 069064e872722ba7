"""In-process cost of the signed-in board: generated fan 0 (`bench_fan_0`, signed in by a
session cookie as `manage.py bench` does it) asks for the main board N times through the
bench's WSGI app; prints the CPU (time.process_time) and the SQL statements per request.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/of_fanpath_bench \
    DJANGO_SETTINGS_MODULE=orangefriday.bench.settings ALLOWED_HOSTS=testserver \
    BOARD_CACHE_SECONDS=1 SECRET_KEY=<60 random characters> [REDIS_URL=redis://…] \
    .venv/bin/python -m orangefriday.bench.profile_board 300 [--profile]

on a database holding `manage.py generate_community --quick`. `--profile` prints
cProfile's top lines, timed in CPU (PROFILE_SORT, default cumulative; PROFILE_LINES, 45).
"""

import collections
import cProfile
import os
import pstats
import sys
import time
from collections.abc import Callable

import django


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orangefriday.bench.settings")
    django.setup()
    from django.db import connection
    from django.test import Client

    from orangefriday.accounts.models import User
    from orangefriday.bench.community import MAIN, greets, prepare_fan_pages, signed_in_cookie

    n = int(argv[0])
    fan = User.objects.get(username="bench_fan_0")
    prepare_fan_pages(fan)
    client = Client(HTTP_COOKIE=signed_in_cookie(fan))
    path = f"/p/{MAIN}/?sort=hot"
    page = client.get(path)
    if page.status_code != 200 or not greets(page.content.decode(), fan):
        raise SystemExit(f"fan 0 is not signed in on {path}: {page.status_code}")
    for _ in range(20):  # warm: templates compiled, the page and its rows kept
        client.get(path)
    statements: collections.Counter[str] = collections.Counter()

    def count(execute: Callable, sql: str, params: object, many: bool, context: object):
        statements[" ".join(sql.split())[:90]] += 1
        return execute(sql, params, many, context)

    profiler = cProfile.Profile(time.process_time) if "--profile" in argv else None
    with connection.execute_wrapper(count):
        if profiler:
            profiler.enable()
        started = time.process_time()
        for _ in range(n):
            client.get(path)
        cpu = time.process_time() - started
        if profiler:
            profiler.disable()
    per_request = sum(statements.values()) / n
    print(f"{n} requests: {cpu / n * 1000:.2f} ms CPU, {per_request:.1f} statements")
    for sql, times in statements.most_common():
        print(f"  {times / n:5.2f}  {sql}")
    if profiler:
        order = os.environ.get("PROFILE_SORT", "cumulative").split(",")
        lines = int(os.environ.get("PROFILE_LINES", "45"))
        pstats.Stats(profiler).sort_stats(*order).print_stats(lines)


if __name__ == "__main__":
    main(sys.argv[1:])
