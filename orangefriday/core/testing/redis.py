"""Tests against a real Redis (TEST_REDIS_URL, the local one by default), each under a key
prefix of its own; skipped without one, unless ORANGEFRIDAY_REQUIRE_REDIS (CI) says it
must be there."""

import os
import uuid

import pytest
import redis

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_or_skip() -> None:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        if os.environ.get("ORANGEFRIDAY_REQUIRE_REDIS"):
            raise
        pytest.skip(f"no Redis at {REDIS_URL}")


def key_prefix(kind: str) -> str:
    """A key prefix no other test uses."""
    return f"of_{kind}:test:{uuid.uuid4().hex}"


def forget(prefix: str) -> None:
    """Remove every key a test wrote under its prefix."""
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
