"""Build feedback's fixtures: Sound Recorder's build 26.11.27, published on Friday 27 Nov 2026
at 17:00 Shanghai time, carrying three ideas team Rockets (maya and lee) claimed and shipped.
Its feedback window closes on Tuesday 1 Dec at 24:00 Shanghai time."""

from datetime import timedelta

import pytest
from django.utils import timezone

from orangefriday.accounts.models import User
from orangefriday.board.actions import create_post
from orangefriday.board.models import Product
from orangefriday.planning.actions import claim_post, ship_claimed_post
from orangefriday.planning.models import Team
from orangefriday.planning.tests.conftest import lee, rockets  # noqa: F401
from orangefriday.releases.cuts import cut_developer_build
from orangefriday.releases.models import Build, Change
from orangefriday.releases.publishing import publish_build
from orangefriday.releases.tests.conftest import clock, local, product  # noqa: F401
from orangefriday.releases.tests.test_dst import server_clock  # noqa: F401

IDEAS = ("Pause recording during calls", "Cloud backup of recordings", "Trim silence")
# Wednesday 00:00 in Shanghai: the window of 26.11.27 is closed from this instant.
CLOSES = local(2026, 12, 2, 0, 0)


@pytest.fixture
def build(clock, product: Product, maya: User, rockets: Team, alice: User) -> Build:  # noqa: F811
    """Published 26.11.27: one change per idea, in the order the ideas shipped."""
    for day, title in enumerate(IDEAS):
        clock.move_to(local(2026, 11, 23 + day, 11, 0))
        post = create_post(author=alice, product=product, kind="idea", title=title)
        claim_post(by=maya, team=rockets, post=post)
        ship_claimed_post(by=maya, post=post)
    clock.move_to(local(2026, 11, 27, 17, 0))
    cut = cut_developer_build(product=product, at=timezone.now())
    assert cut.build is not None
    return publish_build(by=None, build=cut.build)


@pytest.fixture
def changes(build: Build) -> list[Change]:
    """The build's changes, the first shipped first."""
    return list(build.changes.order_by("post__shipped_at"))


@pytest.fixture
def wish(product: Product, bob: User):  # noqa: F811
    """An open idea fans can name as the feature they want most."""
    return create_post(author=bob, product=product, kind="idea", title="Transcribe recordings")


def just_before(instant):
    return instant - timedelta(microseconds=1)
