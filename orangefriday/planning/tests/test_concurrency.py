"""Members claiming at the same instant never exceed the team's capacity: threads with their
own database connections, on SQLite and on PostgreSQL."""

import threading
from collections.abc import Callable, Sequence
from functools import partial

import pytest
from django.db import connection

from orangefriday.conftest import make_fan
from orangefriday.planning.actions import PlanConflict, claim_post, create_team, update_team
from orangefriday.planning.models import Claim

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def race(calls: Sequence[Callable[[], object]]) -> tuple[int, list[BaseException]]:
    """Run every call on its own thread, all released at the same instant; return how many
    succeeded and what the others raised."""
    start = threading.Barrier(len(calls))
    lock = threading.Lock()
    wins: list[object] = []
    errors: list[BaseException] = []

    def run(call: Callable[[], object]) -> None:
        try:
            start.wait()
            result = call()
            with lock:
                wins.append(result)
        except BaseException as error:  # collected and checked by the test
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return len(wins), errors


def test_two_members_racing_for_the_last_slot_one_wins(rockets, maya, lee, idea):
    for title in ("One", "Two"):
        claim_post(by=maya, team=rockets, post=idea(title))
    left, right = idea("Left"), idea("Right")

    wins, errors = race(
        [
            partial(claim_post, by=maya, team=rockets, post=left),
            partial(claim_post, by=lee, team=rockets, post=right),
        ]
    )

    assert wins == 1
    assert len(errors) == 1 and isinstance(errors[0], PlanConflict), errors
    assert "weekly capacity" in str(errors[0])
    assert Claim.objects.filter(team=rockets).count() == 3
    winner = Claim.objects.get(post__in=[left, right]).post
    loser = right if winner == left else left
    loser.refresh_from_db()
    assert (winner.status, loser.status) == ("in_progress", "open")


def test_twelve_claims_at_once_fill_exactly_the_capacity(rockets, maya, lee, recorder, idea):
    kai = make_fan("kai", "engineer")
    recorder.engineers.add(kai)
    update_team(by=maya, team=rockets, members=[maya, lee, kai], weekly_capacity=4)
    members = [maya, lee, kai]
    posts = [idea(f"Idea {i}") for i in range(12)]

    wins, errors = race(
        [
            partial(claim_post, by=members[i % 3], team=rockets, post=post)
            for i, post in enumerate(posts)
        ]
    )

    assert wins == 4 and len(errors) == 8
    assert all(isinstance(error, PlanConflict) for error in errors), errors
    assert Claim.objects.filter(team=rockets).count() == 4
    assert sum(post.status == "in_progress" for post in recorder.posts.all()) == 4


def test_two_teams_racing_for_one_post_one_claims_it(rockets, maya, lee, recorder, idea):
    kai, ana = make_fan("kai", "engineer"), make_fan("ana", "engineer")
    recorder.engineers.add(kai, ana)
    owls = create_team(by=maya, product=recorder, name="Owls", members=[kai, ana])
    post = idea("Everyone wants this")

    wins, errors = race(
        [
            partial(claim_post, by=maya, team=rockets, post=post),
            partial(claim_post, by=kai, team=owls, post=post),
        ]
    )

    assert wins == 1 and len(errors) == 1 and isinstance(errors[0], PlanConflict), errors
    assert "already claimed" in str(errors[0])
    assert Claim.objects.filter(post=post).count() == 1
