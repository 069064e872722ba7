"""`make run` prints the address it serves, and links in emails and feeds use it."""

import os
import socket
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

from orangefriday.core.address import local_url


@pytest.mark.parametrize(
    ("host", "port", "url"),
    [
        ("127.0.0.1", "8000", "http://127.0.0.1:8000"),
        ("localhost", 8123, "http://localhost:8123"),
        ("0.0.0.0", "8123", "http://127.0.0.1:8123"),  # every interface: this machine's
        ("::1", "8123", "http://[::1]:8123"),
        ("[::1]", "8123", "http://[::1]:8123"),
    ],
)
def test_an_address_becomes_a_link(host, port, url):
    assert local_url(host, port) == url


def site_url_with(**env: str) -> str:
    """SITE_URL as a fresh process of the project computes it from its environment."""
    environment = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "HOST", "PORT"}}
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.SITE_URL)"],
        env={**environment, "DJANGO_SETTINGS_MODULE": "orangefriday.settings", **env},
        capture_output=True,
        text=True,
        check=True,
        cwd=django_settings.BASE_DIR,
    )
    return result.stdout.strip()


def test_site_url_follows_the_port_and_host_make_run_serves_on():
    assert site_url_with() == "http://127.0.0.1:8000"
    assert site_url_with(PORT="8123") == "http://127.0.0.1:8123"
    assert site_url_with(HOST="localhost", PORT="8123") == "http://localhost:8123"
    assert site_url_with(PORT="8123", SITE_URL="https://fans.example.com/") == (
        "https://fans.example.com"
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def address_printed(settings, port: int, site_url: str) -> str:
    settings.SITE_URL = site_url
    out = StringIO()
    call_command("check_address", host="127.0.0.1", port=port, stdout=out)
    return out.getvalue()


def test_make_run_prints_the_address_it_serves_and_where_links_point(settings):
    port = free_port()
    own = f"http://127.0.0.1:{port}"
    assert address_printed(settings, port, own) == f"Orange Friday on {own}/\n"
    assert address_printed(settings, port, "https://fans.example.com") == (
        f"Orange Friday on {own}/\n"
        "Links in emails and feeds point to https://fans.example.com/ (SITE_URL)\n"
    )


def test_make_run_stops_at_once_when_the_port_is_taken(settings):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(CommandError, match=f"127.0.0.1:{port}.*make run PORT={port + 1}"):
            address_printed(settings, port, f"http://127.0.0.1:{port}")
