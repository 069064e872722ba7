"""In-process cost of the signed-in board: generated fan 0 (`bench_fan_0`, signed in by a
session cookie as `manage.py bench` does it) asks for the main board N times through the
bench's WSGI app; prints the CPU (time.process_time) and the SQL statements per request.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/of_fanpath_bench \
    DJANGO_SETTINGS_MODULE=orangefriday.bench.settings ALLOWED_HOSTS=testserver \
    BOARD_CACHE_SECONDS=1 SECRET_KEY=<60 random characters> [REDIS_URL=redis://…] \
    .venv/bin/python -m orangefriday.bench.profile_board 300 [--profile]

on a database holding `manage.py generate_community --quick`. `--profile` prints
cProfile's top lines (bench/profiling.py).
"""

import os
import sys

import django


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orangefriday.bench.settings")
    django.setup()
    from django.test import Client

    from orangefriday.accounts.models import User
    from orangefriday.bench.community import MAIN, greets, prepare_fan_pages, signed_in_cookie
    from orangefriday.bench.profiling import measure

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
    measure(lambda _: client.get(path), range(n), what=path, profile="--profile" in argv)


if __name__ == "__main__":
    main(sys.argv[1:])
