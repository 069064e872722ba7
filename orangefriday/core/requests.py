"""What a request says about who sent it."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The sender's address: the connection's, or behind TRUSTED_PROXIES reverse proxies the
    one the outermost of them saw (the hops a client adds itself are further left)."""
    hops = settings.TRUSTED_PROXIES
    if hops > 0:
        forwarded = [a.strip() for a in request.headers.get("X-Forwarded-For", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR") or "unknown"
