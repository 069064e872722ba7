"""Places are exact: fans passing the quiz at the same instant never make more testers than
places. Real threads with their own database connections, on SQLite and on PostgreSQL."""

from functools import partial

import pytest

from orangefriday.conftest import make_fan
from orangefriday.core.testing.concurrency import run_concurrently
from orangefriday.reputation import models
from orangefriday.reputation.testers import take_quiz

from .conftest import right_answers

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def test_fifty_fans_pass_at_once_for_ten_places_and_exactly_ten_join(programme, product):
    assert programme.places == 10
    fans = [make_fan(f"applicant{i}") for i in range(50)]
    answers = right_answers(programme)

    errors = run_concurrently(
        [partial(take_quiz, fan=fan, product=product, answers=answers) for fan in fans],
        threads=50,
    )

    assert errors == []
    attempts = models.Attempt.objects.filter(programme=programme)
    assert attempts.count() == 50 and attempts.filter(passed=True).count() == 50
    testers = models.Tester.objects.filter(programme=programme, status="active")
    assert testers.count() == 10
    assert len(set(testers.values_list("fan_id", flat=True))) == 10
