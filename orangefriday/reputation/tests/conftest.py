"""Reputation's fixtures: the feedback app's published build 26.11.27 (three of alice's
ideas, shipped by maya's team) and its frozen clock."""

import pytest

from orangefriday.board.models import Product
from orangefriday.feedback.tests.conftest import build, changes, wish  # noqa: F401
from orangefriday.planning.tests.conftest import lee, rockets  # noqa: F401
from orangefriday.releases.tests.conftest import clock, local, product  # noqa: F401
from orangefriday.reputation.models import Programme
from orangefriday.reputation.testers import QuestionDraft, write_programme

QUIZ = [
    QuestionDraft(
        "Where do you attach a bug's log?", [("On the bug report", True), ("By e-mail", False)]
    ),
    QuestionDraft(
        "When does a tester's week end?", [("Sunday 24:00", True), ("Friday 17:00", False)]
    ),
]


@pytest.fixture
def programme(product: Product, maya) -> Programme:  # noqa: F811
    """Sound Recorder's programme: two questions, both needed (pass mark 100), ten places."""
    return write_programme(by=maya, product=product, places=10, pass_mark=100, questions=QUIZ)


def right_answers(programme: Programme) -> dict[int, int]:
    return {q.pk: q.choices.get(correct=True).pk for q in programme.questions.all()}


def wrong_answers(programme: Programme) -> dict[int, int]:
    return {q.pk: q.choices.get(correct=False).pk for q in programme.questions.all()}
