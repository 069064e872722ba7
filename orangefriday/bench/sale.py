"""The benchmark's sale round (issue 14): one round of UNITS units, ATTEMPTS buy attempts
through the HTTP API from the reserved fans with tokens, and pgbench running the
single-statement "take one unit" on the same database, side by side.

The round is set up once per database and reset before each run: the generated fans with
tokens reserve the launch `bench-sale` and have one delivery address each (ids in token
order, so that wrk can name a fan's own address). The server is the production one,
with the limits as configured, counted in Redis when it answers on REDIS_URL (or
redis://127.0.0.1:6379/0), as a flash sale would run; the per-address buy limit is off
(wrk sends everything from one address), as the API's per-address limit is for the rest
of the benchmark.
"""

import json
import os
import re
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import Count
from django.utils import timezone

from orangefriday.accounts.models import User
from orangefriday.board.models import Product
from orangefriday.sales.models import (
    Address,
    Allocation,
    Edition,
    Launch,
    Order,
    Reservation,
    SaleRound,
)

from .community import MAIN

WRK_BUY = Path(__file__).resolve().parent / "wrk" / "buy.lua"
SLUG = "bench-sale"
PGBENCH_UNITS = 10**9  # the pgbench edition never runs out: every statement takes a unit
TAKE_ONE = (
    "UPDATE sales_allocation SET units_left = units_left - 1"
    " WHERE sale_round_id = :round AND edition_id = :edition AND units_left > 0 RETURNING id;\n"
)


@dataclass
class Setup:
    round_id: int
    edition_id: int
    pgbench_edition_id: int
    address0: int


@dataclass
class SaleRun:
    attempts: int
    units: int
    rate: float
    p50: float
    p99: float
    requests: int
    socket_errors: int
    statuses: dict[str, int]
    orders: int
    units_left: int
    fans_twice: int
    addresses_twice: int
    pgbench_tps: float
    pgbench_ms: float
    redis: bool

    @property
    def oversold(self) -> int:
        return max(0, self.orders - self.units) + max(0, -self.units_left)


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def prepare(*, units: int, tokens: int, fan0: int) -> Setup:
    """The launch, its round and the fans' reservations and addresses (once), then the
    round reset: no orders, UNITS units, started a minute ago, announced already."""
    now = timezone.now()
    launch = Launch.objects.filter(slug=SLUG).first()
    if launch is None:
        launch = _create(tokens=tokens, fan0=fan0)
    sale_round = launch.rounds.get()
    edition, pgbench_edition = list(launch.editions.order_by("position"))
    with transaction.atomic():
        Order.objects.filter(sale_round=sale_round).delete()
        SaleRound.objects.filter(pk=sale_round.pk).update(
            starts_at=now - timedelta(minutes=1), announced_at=now
        )
        Allocation.objects.filter(sale_round=sale_round, edition=edition).update(
            units=units, units_left=units, fcode_units=0, fcode_units_left=0
        )
        Allocation.objects.filter(sale_round=sale_round, edition=pgbench_edition).update(
            units=PGBENCH_UNITS, units_left=PGBENCH_UNITS
        )
    address0 = Address.objects.filter(fan_id=fan0).values_list("pk", flat=True).get()
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {_table(Order)}")
    return Setup(sale_round.pk, edition.pk, pgbench_edition.pk, address0)


def _create(*, tokens: int, fan0: int) -> Launch:
    now = timezone.now()
    product = Product.objects.get(slug=MAIN)
    with transaction.atomic():
        launch = Launch.objects.create(
            product=product,
            slug=SLUG,
            name="Benchmark phone",
            reservations_open_at=now - timedelta(days=2),
            reservations_close_at=now - timedelta(days=1),
        )
        editions = [
            Edition.objects.create(launch=launch, name=name, price=Decimal("1999.00"), position=i)
            for i, name in enumerate(["sold", "pgbench"])
        ]
        sale_round = SaleRound.objects.create(launch=launch, number=1, starts_at=now)
        for edition in editions:
            Allocation.objects.create(sale_round=sale_round, edition=edition, units=0, units_left=0)
        adapt = connection.ops.adapt_datetimefield_value
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {_table(Reservation)} (launch_id, fan_id, created_at)"
                " SELECT %s, %s + i, %s FROM generate_series(0, %s) AS i",
                [launch.pk, fan0, adapt(now), tokens - 1],
            )
            cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {_table(Address)}")
            (base,) = cursor.fetchone()
            # One address per fan, its id base + the fan's token number.
            cursor.execute(
                f"INSERT INTO {_table(Address)} (id, fan_id, name, line1, line2, city, postcode,"
                " country, phone, key, created_at)"
                " SELECT %s + i, %s + i, 'Fan ' || i, i || ' Bench Road', '', 'Beijing', '100000',"
                " 'CN', '', md5('bench address ' || i), %s FROM generate_series(0, %s) AS i",
                [base, fan0, adapt(now), tokens - 1],
            )
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{Address._meta.db_table}', 'id'),"
                f" (SELECT max(id) FROM {_table(Address)}))"
            )
    return launch


def redis_reachable(url: str) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_timeout=1).ping())
    except Exception:
        return False


def redis_env(run: str) -> dict[str, str]:
    """A benchmark server's Redis, as production has one (README, "Production": the limit
    counters and the sessions): REDIS_URL, else the local one, when it answers; and a key
    prefix of this run's own (so earlier runs' counts do not refuse this one's fans)."""
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    started = int(timezone.now().timestamp())
    env = {"RATE_LIMIT_KEY_PREFIX": f"of_bench_{run}_{os.getpid()}_{started}"}
    if redis_reachable(url):
        env["REDIS_URL"] = url
    return env


def server_env() -> tuple[dict[str, str], bool]:
    """The sale server's settings: as `redis_env`, with the per-address buy limit off."""
    env = {"LIMIT_BUYS_PER_IP": "off", **redis_env("sale")}
    return env, "REDIS_URL" in env


def run_wrk(
    url: str, setup: Setup, *, attempts: int, tokens: int, conns: int, seconds: int
) -> dict[str, Any]:
    """wrk until every thread has had its share of the attempts answered; the answers and
    latencies as wrk reports them, `elapsed` timed here (wrk itself would report the whole
    of `seconds`)."""
    threads = 2
    marker = Path(tempfile.mkdtemp(prefix="of-bench-sale-")) / "done-"
    command = ["wrk", "-t", str(threads), "-c", str(conns), "-d", f"{seconds}s"]
    command += ["--timeout", "10s", "-s", str(WRK_BUY), url]
    env = {
        **os.environ,
        "BENCH_THREADS": str(threads),
        "BENCH_ROUND": str(setup.round_id),
        "BENCH_EDITION": str(setup.edition_id),
        "BENCH_ADDRESS0": str(setup.address0),
        "BENCH_TOKENS": str(tokens),
        "BENCH_ATTEMPTS": str(attempts),
        "BENCH_DONE": str(marker),
    }
    started = time.monotonic()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    markers = [Path(f"{marker}{i}") for i in range(1, threads + 1)]
    while process.poll() is None and not all(m.exists() for m in markers):
        time.sleep(0.02)
    elapsed = time.monotonic() - started
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    for m in markers:
        m.unlink(missing_ok=True)
    marker.parent.rmdir()
    found = re.search(r"^WRK (\{.*\})$", stdout, re.MULTILINE)
    if found is None:
        raise RuntimeError(f"wrk failed: {stdout[-500:]} {stderr[-500:]}")
    return {**json.loads(found.group(1)), "elapsed": elapsed}


def run_pgbench(setup: Setup, *, seconds: int) -> tuple[float, float]:
    """pgbench, 32 clients, the single-statement take-one-unit on one row (the sale's own
    contention), from an edition that never runs out."""
    db = settings.DATABASES["default"]
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
        script.write(TAKE_ONE)
    try:
        command = [
            "pgbench",
            "-n",
            "-c",
            "32",
            "-j",
            "2",
            "-T",
            str(seconds),
            "-f",
            script.name,
            "-D",
            f"round={setup.round_id}",
            "-D",
            f"edition={setup.pgbench_edition_id}",
            "-h",
            str(db["HOST"] or "127.0.0.1"),
            "-p",
            str(db["PORT"] or 5432),
            "-U",
            str(db["USER"] or "postgres"),
            str(db["NAME"]),
        ]
        env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
        connections.close_all()
        result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    finally:
        os.unlink(script.name)
    tps = re.search(r"tps = ([\d.]+) \(without initial", result.stdout)
    latency = re.search(r"latency average = ([\d.]+) ms", result.stdout)
    if result.returncode != 0 or tps is None:
        raise RuntimeError(f"pgbench failed: {result.stdout[-300:]} {result.stderr[-300:]}")
    return float(tps.group(1)), float(latency.group(1)) if latency else 0.0


def outcome(setup: Setup) -> dict[str, int]:
    orders = Order.objects.filter(
        sale_round_id=setup.round_id, allocation__edition_id=setup.edition_id
    )
    left = Allocation.objects.get(
        sale_round_id=setup.round_id, edition_id=setup.edition_id
    ).units_left
    return {
        "orders": orders.count(),
        "units_left": left,
        "fans_twice": orders.values("fan").annotate(n=Count("pk")).filter(n__gt=1).count(),
        "addresses_twice": orders.values("address_key")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count(),
    }


def first_fan() -> int:
    return User.objects.filter(username="bench_fan_0").values_list("pk", flat=True).get()
