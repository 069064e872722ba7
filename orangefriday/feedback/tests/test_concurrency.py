"""Two workers giving the same award, a fan's double submit: real threads with their own
database connections, on SQLite and on PostgreSQL."""

from functools import partial

import pytest

from orangefriday.feedback.actions import file_report, give_popcorn_award, rate_build
from orangefriday.feedback.models import Award, Rating, Report
from orangefriday.planning.tests.test_concurrency import race
from orangefriday.releases.models import Installation

from .conftest import CLOSES

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def test_two_workers_give_the_award_at_the_same_instant_once(
    clock, build, changes, wish, alice, bob
):
    for fan in (alice, bob):
        file_report(
            fan=fan,
            build=build,
            mood="happy",
            loved=changes[0].pk,
            least_effective=changes[1].pk,
            wanted_post=wish.pk,
        )
    clock.move_to(CLOSES)

    wins, errors = race([partial(give_popcorn_award, build=build) for _ in range(4)])

    assert (wins, errors) == (4, [])
    award = Award.objects.get()
    assert (award.build, award.change, award.loved_count) == (build, changes[0], 2)


def test_a_double_submit_stores_one_report_and_one_rating(clock, build, changes, wish, alice):
    report = partial(
        file_report,
        fan=alice,
        build=build,
        mood="sad",
        loved=changes[2].pk,
        least_effective=changes[0].pk,
        wanted_post=wish.pk,
    )
    wins, errors = race([report, report, partial(rate_build, fan=alice, build=build, stability=4)])
    assert (wins, errors) == (3, [])
    assert Report.objects.filter(fan=alice).count() == 1
    assert Rating.objects.get(fan=alice).stability == 4
    assert Installation.objects.filter(fan=alice, build=build).count() == 1
