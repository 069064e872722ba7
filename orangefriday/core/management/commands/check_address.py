"""`manage.py check_address`: what `make run` prints before it starts the server."""

import os
import socket

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from orangefriday.core.address import WILDCARDS, local_url


class Command(BaseCommand):
    help = (
        "Check that HOST:PORT is free to serve on, then print its address, and where links "
        "in emails and feeds point (SITE_URL) when that is another address."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))

    def handle(self, *args, host: str, port: int, **options) -> None:
        try:
            _check_free(host, port)
        except OSError as error:
            raise CommandError(
                f"Cannot serve on {host}:{port}: {error.strerror or error}."
                f" Choose another port, e.g. make run PORT={port + 1}"
            ) from error
        url = local_url(host, port)
        self.stdout.write(f"Orange Friday on {url}/")
        if url != settings.SITE_URL:
            self.stdout.write(f"Links in emails and feeds point to {settings.SITE_URL}/ (SITE_URL)")
        elif host.strip() in WILDCARDS:
            self.stdout.write(
                "Links in emails and feeds point to this machine only; set SITE_URL to the"
                " address others reach it at."
            )


def _check_free(host: str, port: int) -> None:
    """Bind the address as the server will, and let go of it at once."""
    family, _, _, _, address = socket.getaddrinfo(
        host.strip("[]") or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(address)
