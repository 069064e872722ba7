"""Stability ratings: 1-10, one per fan and build, and rating a build says the fan runs it."""

import pytest
from django.core.exceptions import ValidationError

from orangefriday.feedback.actions import rate_build
from orangefriday.feedback.models import Rating
from orangefriday.releases.cuts import cut_internal_build
from orangefriday.releases.models import Installation
from orangefriday.releases.stable import promote_to_stable

from .conftest import CLOSES, local

pytestmark = pytest.mark.django_db


def test_rating_records_that_the_fan_runs_the_build_and_a_second_rating_replaces_the_first(
    clock, build, alice
):
    rate_build(fan=alice, build=build, stability=7)
    rate_build(fan=alice, build=build, stability=9)
    assert list(Rating.objects.values_list("fan__username", "stability")) == [("alice", 9)]
    assert Installation.objects.filter(fan=alice, build=build).count() == 1


def test_stable_builds_are_rated_too_and_after_the_report_window(clock, build, alice, maya):
    clock.move_to(CLOSES)
    stable = promote_to_stable(by=maya, build=build)
    rate_build(fan=alice, build=stable, stability=10)
    rate_build(fan=alice, build=build, stability=6)
    assert Installation.objects.filter(fan=alice).count() == 2


@pytest.mark.parametrize("stability", [0, 11, -3])
def test_a_rating_is_from_1_to_10(clock, build, alice, stability):
    with pytest.raises(ValidationError) as error:
        rate_build(fan=alice, build=build, stability=stability)
    assert "stability" in error.value.message_dict
    assert not Rating.objects.exists() and not Installation.objects.exists()


def test_internal_and_unpublished_builds_are_not_rated(clock, product, alice, maya):
    internal = cut_internal_build(product=product, at=local(2026, 11, 23, 9, 0), by=maya)
    with pytest.raises(ValidationError):
        rate_build(fan=alice, build=internal, stability=8)
    assert not Installation.objects.exists()
