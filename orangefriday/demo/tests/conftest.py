import io
from collections.abc import Iterator

import pytest
from django.core.management import call_command


@pytest.fixture
def demo(live_server) -> Iterator[str]:
    """The demo community, served: its address."""
    call_command("load_demo", stdout=io.StringIO())
    yield live_server.url
