"""The address a local server listens on, as a link (settings and `make run` share it)."""

# A server listening on every interface is reached here through the loopback.
WILDCARDS = {"", "0.0.0.0", "::", "[::]"}


def local_url(host: str, port: str | int) -> str:
    """http://HOST:PORT as a browser or an email reader would follow it."""
    host = host.strip()
    if host in WILDCARDS:
        host = "127.0.0.1"
    if ":" in host and not host.startswith("["):  # an IPv6 address
        host = f"[{host}]"
    return f"http://{host}:{port}"
