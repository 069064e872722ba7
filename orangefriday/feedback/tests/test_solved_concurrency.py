"""Answers at the same instant, on real threads with their own connections (SQLite and
PostgreSQL): a fan's double submit stores one answer; many voters saying no reopen once."""

from functools import partial

import pytest

from orangefriday.board.models import Status, StatusChange
from orangefriday.core.events import dispatch
from orangefriday.core.models import Event
from orangefriday.feedback.actions import answer_solved
from orangefriday.feedback.models import Answer
from orangefriday.planning.tests.test_concurrency import race

from .test_solved import first_post, voters  # noqa: F401

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def test_a_double_submit_stores_one_answer(build, voters):  # noqa: F811
    post = first_post(build)
    same = partial(answer_solved, fan=voters[0], post=post, build=build, solved=False)

    wins, errors = race([same, same, same])

    assert (wins, errors) == (3, [])
    assert Answer.objects.filter(fan=voters[0]).count() == 1
    assert Event.objects.filter(kind="solution.answered").count() == 3


def test_voters_saying_no_at_once_reopen_the_post_once(settings, build, voters):  # noqa: F811
    settings.SOLVED_REOPEN_MIN_ANSWERS = 3
    settings.SOLVED_REOPEN_SHARE = 0.5
    post = first_post(build)
    answers = [
        partial(answer_solved, fan=fan, post=post, build=build, solved=False) for fan in voters
    ]

    wins, errors = race([*answers, dispatch, dispatch])

    assert (wins, errors) == (7, [])
    dispatch()  # whatever the racing dispatchers had not seen yet
    post.refresh_from_db()
    assert post.status == Status.OPEN
    assert Answer.objects.filter(post=post, solved=False).count() == 5
    assert Event.objects.filter(kind="post.reopened").count() == 1
    assert StatusChange.objects.filter(post=post, by__isnull=True).count() == 1
