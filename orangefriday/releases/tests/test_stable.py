"""Stable builds: promoted from a developer build, rolled out in stages."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from orangefriday.releases.cuts import cut_and_publish_due_builds, cut_internal_build
from orangefriday.releases.models import Build, Channel
from orangefriday.releases.stable import (
    halt_rollout,
    promote_to_stable,
    resume_rollout,
    set_rollout,
)

from .conftest import local, ship

pytestmark = pytest.mark.django_db


def friday_build(clock, when) -> Build:
    clock.move_to(when)
    (build,) = cut_and_publish_due_builds(now=timezone.now())
    return build


@pytest.fixture
def two_months(clock, product, maya, alice) -> list[Build]:
    """Three published developer builds, each with one shipped post."""
    builds = []
    for day, title in [(27, "Mute"), (4, "Bookmarks"), (11, "Noise filter")]:
        month = 11 if day == 27 else 12
        clock.move_to(local(2026, month, day, 10, 0))
        ship(engineer=maya, author=alice, product=product, title=title)
        builds.append(friday_build(clock, local(2026, month, day, 17, 0)))
    return builds


def test_promoting_makes_a_stable_beta_with_every_change_since_the_last_stable(two_months, maya):
    first_stable = promote_to_stable(by=maya, build=two_months[1])
    assert (first_stable.channel, first_stable.version) == (Channel.STABLE, "26.12.4")
    assert first_stable.promoted_from == two_months[1]
    assert first_stable.published_at is not None
    assert (first_stable.rollout_percent, first_stable.rollout_halted) == (0, False)
    assert [c.text for c in first_stable.changes.all()] == ["Mute", "Bookmarks"]

    second_stable = promote_to_stable(by=maya, build=two_months[2])
    assert [c.text for c in second_stable.changes.all()] == ["Noise filter"]

    # Promoting again hands back the same stable build.
    assert promote_to_stable(by=maya, build=two_months[2]) == second_stable
    assert Build.objects.filter(channel=Channel.STABLE).count() == 2


def test_only_published_developer_builds_are_promoted(clock, product, two_months, maya, alice):
    internal = cut_internal_build(product=product, at=timezone.now(), by=maya)
    with pytest.raises(ValidationError) as error:
        promote_to_stable(by=maya, build=internal)
    assert "build" in error.value.message_dict
    stable = promote_to_stable(by=maya, build=two_months[2])
    with pytest.raises(ValidationError):
        promote_to_stable(by=maya, build=stable)
    with pytest.raises(ValidationError) as error:
        promote_to_stable(by=maya, build=two_months[0])  # older than the stable build
    assert "26.12.11" in error.value.messages[0]
    with pytest.raises(PermissionDenied):
        promote_to_stable(by=alice, build=two_months[1])


def test_the_rollout_only_goes_up_and_halts_and_resumes(two_months, maya):
    stable = promote_to_stable(by=maya, build=two_months[2])

    assert set_rollout(by=maya, build=stable, percent=5).rollout_percent == 5
    assert set_rollout(by=maya, build=stable, percent=20).rollout_percent == 20
    with pytest.raises(ValidationError) as error:
        set_rollout(by=maya, build=stable, percent=10)
    assert "only goes up" in error.value.message_dict["percent"][0]
    for wrong in (-1, 101):
        with pytest.raises(ValidationError) as error:
            set_rollout(by=maya, build=stable, percent=wrong)
        assert "percent" in error.value.message_dict

    halted = halt_rollout(by=maya, build=stable)
    assert (halted.rollout_percent, halted.rollout_halted) == (20, True)
    with pytest.raises(ValidationError) as error:
        set_rollout(by=maya, build=stable, percent=50)
    assert "resume" in error.value.message_dict["percent"][0]

    resumed = resume_rollout(by=maya, build=stable)
    assert (resumed.rollout_percent, resumed.rollout_halted) == (20, False)
    everyone = set_rollout(by=maya, build=stable, percent=100)
    assert everyone.rollout_percent == 100
    with pytest.raises(ValidationError):
        halt_rollout(by=maya, build=stable)  # everyone has it already


def test_developer_builds_do_not_roll_out(two_months, maya, alice):
    with pytest.raises(ValidationError) as error:
        set_rollout(by=maya, build=two_months[0], percent=50)
    assert "stable" in error.value.messages[0]
    stable = promote_to_stable(by=maya, build=two_months[2])
    with pytest.raises(PermissionDenied):
        set_rollout(by=alice, build=stable, percent=50)
