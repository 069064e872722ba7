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
import json
import os
import sys
from typing import TYPE_CHECKING

import django

if TYPE_CHECKING:
    from orangefriday.bench.sale import Setup


def _environ(setup: "Setup", i: int) -> dict[str, object]:
    from orangefriday.bench.profiling import wsgi_environ

    body = json.dumps({"edition": setup.edition_id, "address": setup.address0 + i}).encode()
    path = f"/api/v1/rounds/{setup.round_id}/buy"
    return wsgi_environ("POST", path, token=f"of_bench_{i:07d}", json=body)


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orangefriday.settings")
    django.setup()
    from django.utils import timezone

    from orangefriday.accounts.models import ApiToken
    from orangefriday.bench import sale
    from orangefriday.bench.profiling import call_wsgi, measure
    from orangefriday.core import limits

    n = int(argv[0])
    if "--no-limits" in argv:
        limits.storage().incr = lambda *a, **k: 0  # type: ignore[method-assign]
    setup = sale.prepare(units=n, tokens=n, fan0=sale.first_fan())
    # As in the rush, every token is stale and written; --no-touch: every one just used.
    ApiToken.objects.update(last_used_at=timezone.now() if "--no-touch" in argv else None)
    statuses: collections.Counter[str] = collections.Counter()

    def attempt(i: int) -> None:
        statuses[call_wsgi(_environ(setup, i))] += 1

    attempt(0)  # warm: the round's facts, the connection
    statuses.clear()
    measure(attempt, range(1, n), what="buying attempts", profile="--profile" in argv)
    print(f"answers: {dict(statuses)}")


if __name__ == "__main__":
    main(sys.argv[1:])
