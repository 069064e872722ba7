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
import os
import random
import sys


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orangefriday.bench.settings")
    import django

    django.setup()
    from orangefriday.accounts.models import ApiToken
    from orangefriday.bench.community import MAIN, TOKEN_PREFIX
    from orangefriday.bench.profiling import call_wsgi, measure, wsgi_environ
    from orangefriday.board.models import Post

    kind, n = argv[0], int(argv[1])
    first = int(argv[argv.index("--first") + 1]) if "--first" in argv else 0
    posts = list(Post.objects.filter(product__slug=MAIN).values_list("pk", flat=True))
    hot = posts[0]
    rng = random.Random(first)

    def request(i: int) -> dict:
        token = f"{TOKEN_PREFIX}{first + i:07d}"
        if kind == "products":
            return wsgi_environ("GET", "/api/v1/products")
        if kind == "minimal":
            return wsgi_environ("GET", "/bench/minimal")
        if kind in ("tokenlist", "list"):
            signed = token if kind == "tokenlist" else None
            return wsgi_environ("GET", "/api/v1/posts", query=f"product={MAIN}", token=signed)
        post = hot if kind == "hot" else rng.choice(posts)
        return wsgi_environ("PUT", f"/api/v1/posts/{post}/vote", token=token)

    ApiToken.objects.update(last_used_at=None)  # as in the rush: every token is touched
    statuses: collections.Counter[str] = collections.Counter()

    def call(i: int) -> None:
        statuses[call_wsgi(request(i))] += 1

    call(n)  # warm: the connection, the URL resolver, the schemas (token first+n)
    statuses.clear()
    measure(call, range(n), what=kind, profile="--profile" in argv)
    print(f"answers: {dict(statuses)}")


if __name__ == "__main__":
    main(sys.argv[1:])
