"""The shared store of the rate limits: exact under threads, across processes, on the
database and on Redis; windows that end when the clock says so."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.utils import timezone

from orangefriday.core import limits
from orangefriday.core.limits import RateLimited, hit, scaled
from orangefriday.core.models import RateCounter
from orangefriday.core.testing.concurrency import run_concurrently
from orangefriday.core.testing.redis import REDIS_URL, forget, key_prefix, redis_or_skip

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def redis_store(settings):
    """The counters in a real Redis, under a prefix of this test's own, removed after."""
    redis_or_skip()
    prefix = key_prefix("limits")
    settings.REDIS_URL, settings.RATE_LIMIT_KEY_PREFIX = REDIS_URL, prefix
    yield prefix
    forget(prefix)


def test_the_limit_plus_one_is_refused_and_says_when_to_try_again(db):
    with time_machine.travel(timezone.now(), tick=False):
        for _ in range(3):
            hit("thing", "3/minute", "fan-1", message="Too many things")
        with pytest.raises(RateLimited) as refused:
            hit("thing", "3/minute", "fan-1", message="Too many things")
        assert refused.value.retry_after == 60
        assert "Too many things: try again in" in refused.value.messages[0]
        hit("thing", "3/minute", "fan-2", message="Too many things")  # others are unaffected
    with time_machine.travel(timezone.now() + timedelta(seconds=61), tick=False):
        hit("thing", "3/minute", "fan-1", message="Too many things")  # a new window


def test_a_refused_hit_is_taken_back_from_every_window(db):
    # Refused by the minute, the day's count does not grow: the day counts what passed.
    for _ in range(2):
        hit("thing", "2/minute;5/day", "fan", message="Too many")
    for _ in range(5):
        with pytest.raises(RateLimited):
            hit("thing", "2/minute;5/day", "fan", message="Too many")
    counts = dict(RateCounter.objects.values_list("key", "count"))
    assert sorted(counts.values()) == [2, 2]


def test_off_means_no_limit(db):
    for _ in range(50):
        hit("thing", "off", "fan", message="never")
    assert not RateCounter.objects.exists()


def test_a_share_of_a_limit_is_never_below_one():
    assert scaled("30/day;5/minute", 0.1) == "3/1 day;1/1 minute"
    assert scaled("off", 0.1) == ""


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_threads_hitting_at_once_let_exactly_the_limit_through():
    accepted: list[int] = []

    def one() -> None:
        hit("burst", "25/minute", "fan", message="Too many")
        accepted.append(1)

    errors = run_concurrently([one] * 60, threads=12)
    assert len(accepted) == 25
    assert all(isinstance(e, RateLimited) for e in errors) and len(errors) == 35
    assert RateCounter.objects.get().count == 25


# Each process counts 40 hits on 4 threads of its own, against one limit of 50.
PROCESS_SCRIPT = """
import os, sys, threading
import django
django.setup()
from django.db import connection
from orangefriday.core.limits import RateLimited, hit
connection.settings_dict["NAME"] = sys.argv[1]
accepted = []
def run():
    from django.db import connection as own
    own.settings_dict["NAME"] = sys.argv[1]
    for _ in range(10):
        try:
            hit("shared", "50/hour", "fan", message="Too many")
            accepted.append(1)
        except RateLimited:
            pass
    own.close()
threads = [threading.Thread(target=run) for _ in range(4)]
[t.start() for t in threads]
[t.join() for t in threads]
print(len(accepted))
"""


def two_processes(extra_env: dict[str, str]) -> list[int]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "orangefriday.settings",
        "RATE_LIMIT_KEY_PREFIX": settings.RATE_LIMIT_KEY_PREFIX,
        "REDIS_URL": settings.REDIS_URL,
        **extra_env,
    }
    name = str(connection.settings_dict["NAME"])
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", PROCESS_SCRIPT, name],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        results.append(int(out.strip().splitlines()[-1]))
    return results


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_two_processes_share_the_database_counters(settings):
    settings.REDIS_URL = ""
    accepted = two_processes({"REDIS_URL": ""})
    assert sum(accepted) == 50  # of 80 tries in all, whichever process made them
    assert RateCounter.objects.get().count == 50


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_two_processes_share_the_redis_counters(redis_store):
    accepted = two_processes({})
    assert sum(accepted) == 50
    assert not RateCounter.objects.exists()  # nothing went to the database
    store = limits.storage()
    (item,) = limits.parse_rates("50/hour")
    assert store.get(limits.window_key(item, "shared", "fan")) == 50


def test_redis_store_refuses_the_limit_plus_one(redis_store, db):
    for _ in range(3):
        hit("thing", "3/minute", "fan", message="Too many")
    with pytest.raises(RateLimited) as refused:
        hit("thing", "3/minute", "fan", message="Too many")
    assert 1 <= refused.value.retry_after <= 60
