"""F-codes earned by standing: a product's testers in good standing and its fans with the
most points get one for each launch, once, and hear of it."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from orangefriday.conftest import make_fan
from orangefriday.core.events import dispatch
from orangefriday.notifications.models import Notification
from orangefriday.reputation.ledger import Credit, write
from orangefriday.reputation.testers import QuestionDraft, remove, take_quiz, write_programme
from orangefriday.sales.actions import announce_due_rounds, gift_fcode
from orangefriday.sales.models import FCode, FCodeReason

from .conftest import open_launch, round_start

pytestmark = pytest.mark.django_db


def give_points(fan, product, ideas: int) -> None:
    """`ideas` shipped ideas' worth of points (50 each by default) on the product."""
    for n in range(ideas):
        write(
            Credit(
                fan_id=fan.pk,
                product_id=product.pk,
                reason="idea_shipped",
                key=f"test:{fan.pk}:{n}",
                source_type="post",
                source_id=n,
                at=timezone.now(),
            )
        )


def make_tester(fan, product, maya):
    programme = write_programme(
        by=maya,
        product=product,
        places=10,
        pass_mark=100,
        questions=[
            QuestionDraft("Where does a log go?", [("On the report", True), ("Nowhere", False)])
        ],
    )
    question = programme.questions.get()
    take_quiz(
        fan=fan, product=product, answers={question.pk: question.choices.get(correct=True).pk}
    )
    return programme


def codes(launch) -> dict[str, str]:
    return dict(FCode.objects.filter(launch=launch).values_list("holder__username", "reason"))


def test_a_launch_gives_testers_and_top_contributors_a_code_each(
    recorder, maya, alice, bob, settings
):
    settings.SALES_FCODE_FOR_POINTS = 100
    carol, dora = make_fan("carol"), make_fan("dora")
    make_tester(alice, recorder, maya)
    give_points(alice, recorder, 3)  # a tester and a contributor: one code all the same
    give_points(bob, recorder, 2)  # 100 points: just enough
    give_points(carol, recorder, 1)  # 50: not enough
    launch = open_launch(maya, recorder)
    dispatch()

    assert codes(launch) == {"alice": FCodeReason.TESTER, "bob": FCodeReason.POINTS}
    told = Notification.objects.get(fan=bob, kind="sale")
    assert told.message == "You have an F-code for Sound Recorder Pro: your points on the product"
    assert told.url == "/fcodes/"
    assert not Notification.objects.filter(fan__in=[carol, dora]).exists()


def test_the_most_points_first_up_to_the_limit(recorder, maya, settings):
    settings.SALES_FCODE_FOR_POINTS, settings.SALES_FCODE_FOR_POINTS_MAX = 50, 2
    fans = [make_fan(f"fan{n}") for n in range(3)]
    for ideas, fan in enumerate(fans, start=1):
        give_points(fan, recorder, ideas)
    launch = open_launch(maya, recorder)
    dispatch()
    assert sorted(codes(launch)) == ["fan1", "fan2"]


def test_a_fan_who_rises_before_a_round_gets_theirs_then_and_nobody_twice(
    recorder, maya, alice, bob, settings
):
    settings.SALES_FCODE_FOR_POINTS = 100
    give_points(alice, recorder, 2)
    launch = open_launch(maya, recorder)
    dispatch()
    give_points(bob, recorder, 2)
    with time_machine.travel(round_start(launch) - timedelta(minutes=30)):
        assert len(announce_due_rounds()) == 1
        dispatch()
    assert codes(launch) == {"alice": FCodeReason.POINTS, "bob": FCodeReason.POINTS}
    assert FCode.objects.filter(launch=launch).count() == 2


def test_a_removed_tester_earns_none_and_a_gifted_code_is_not_earned_again(
    recorder, maya, alice, bob, settings
):
    settings.SALES_FCODE_FOR_POINTS = 0
    programme = make_tester(alice, recorder, maya)
    remove(programme.testers.get(fan=alice), now=timezone.now(), reason="Missed a week")
    make_tester(bob, recorder, maya)
    launch = open_launch(maya, recorder)
    dispatch()
    (code,) = FCode.objects.filter(launch=launch)
    assert code.holder == bob

    gift_fcode(by=bob, fcode=code, to=alice)
    with time_machine.travel(round_start(launch) - timedelta(minutes=30)):
        announce_due_rounds()
        dispatch()
    assert FCode.objects.filter(launch=launch).count() == 1  # bob's standing code is his gift
    told = Notification.objects.get(fan=alice, kind="sale")
    assert told.message == "You have an F-code for Sound Recorder Pro: a gift from bob"
