"""Which configured address is a Redis: one rule for the rate-limit counters
(core.limits) and the sessions' cache (settings.py), importable without Django's settings."""

REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def first_redis_url(*urls: str) -> str:
    """The first of `urls` that names a Redis (REDIS_URL, then CACHE_URL), or ""."""
    return next((url for url in urls if url.startswith(REDIS_SCHEMES)), "")
