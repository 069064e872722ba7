"""In-process cost of the post page with 20 comments for generated fan 0, signed in (the
`make bench` row "post page, 20 comments, signed-in fan"): N requests through Django's test
client with the benchmark's settings; prints the CPU (time.process_time) and the SQL
statements per page.

    DJANGO_SETTINGS_MODULE=orangefriday.bench.settings ALLOWED_HOSTS=testserver \
    BOARD_CACHE_SECONDS=1 SECRET_KEY=… \
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/of_postpage_bench \
    .venv/bin/python -m orangefriday.bench.profile_post 300 [--profile] [--as N]

on a database holding `manage.py generate_community --quick`. `--as N` signs in fan N
(`bench_fan_N`) instead of fan 0, the post's author; `--profile` prints cProfile's top lines
(bench/profiling.py).
"""

import os
import sys

import django


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orangefriday.bench.settings")
    django.setup()
    from django.test import Client

    from orangefriday.accounts.models import User
    from orangefriday.bench.community import greets, prepare_fan_pages, signed_in_cookie
    from orangefriday.bench.profiling import measure

    n = int(argv[0])
    viewer = int(argv[argv.index("--as") + 1]) if "--as" in argv else 0
    post = prepare_fan_pages(User.objects.get(username="bench_fan_0"))
    fan = User.objects.get(username=f"bench_fan_{viewer}")
    client = Client(HTTP_COOKIE=signed_in_cookie(fan))
    path = post.get_absolute_url()
    page = client.get(path)
    assert page.status_code == 200 and greets(page.content.decode(), fan), page.status_code
    what = f"post page ({post.comments.count()} comments, fan {viewer})"
    measure(lambda _: client.get(path), range(n), what=what, profile="--profile" in argv)


if __name__ == "__main__":
    main(sys.argv[1:])
