"""Did this solve it? through the API: answer (signed in), read (anyone), and the refusals."""

from datetime import timedelta

import pytest

from orangefriday.conftest import make_fan
from orangefriday.feedback.models import Answer
from orangefriday.voting.actions import cast_vote

from .test_solved import first_post, voters  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_voter_answers_and_anyone_reads_the_figures(api_as, build, voters):  # noqa: F811
    post = first_post(build)
    api = api_as(voters[0])

    response = api.put(f"/posts/{post.pk}/solved", {"solved": False, "comment": "Still rings"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["post_id"], body["build_id"], body["version"]) == (post.pk, build.pk, "26.11.27")
    assert (body["solved"], body["comment"]) == (False, "Still rings")
    api_as(voters[1]).put(f"/posts/{post.pk}/solved", {"solved": True, "build_id": build.pk})

    read = api_as(None).get(f"/posts/{post.pk}/solved").json()
    assert read["post_id"] == post.pk
    (shipped,) = read["builds"]
    assert (shipped["build_id"], shipped["answered"], shipped["solved"]) == (build.pk, 2, 1)
    assert shipped["solved_share"] == 0.5
    results = api_as(None).get(f"/builds/{build.pk}/feedback").json()
    assert results["solved_answered"] == 2 and results["solved_share"] == 0.5
    first = next(row for row in results["solved"] if row["post_id"] == post.pk)
    assert (first["answered"], first["solved"]) == (2, 1)


def test_the_same_idempotency_key_answers_once(api_as, build, voters):  # noqa: F811
    post = first_post(build)
    api = api_as(voters[0])
    api.headers["Idempotency-Key"] = "answer-1"
    first = api.put(f"/posts/{post.pk}/solved", {"solved": False})
    again = api.put(f"/posts/{post.pk}/solved", {"solved": False})
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert Answer.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "solved"),
        ({"solved": "perhaps"}, "solved"),
        ({"solved": True, "comment": "x" * 1001}, "comment"),
        ({"solved": True, "build_id": 2**63}, "build_id"),
        ({"solved": True, "comment": "a\x00b"}, "comment"),
    ],
)
def test_bad_input_is_a_problem_naming_the_field(api_as, build, voters, payload, field):  # noqa: F811
    response = api_as(voters[0]).put(f"/posts/{first_post(build).pk}/solved", payload)
    assert response.status_code in (400, 422), response.content
    assert field in {error["field"].split(".")[-1] for error in response.json()["errors"]}
    assert not Answer.objects.exists()


def test_refusals(api_as, build, voters, clock, wish):  # noqa: F811
    post = first_post(build)
    assert api_as(None).put(f"/posts/{post.pk}/solved", {"solved": True}).status_code == 401
    stranger = make_fan("stranger")
    assert api_as(stranger).put(f"/posts/{post.pk}/solved", {"solved": True}).status_code == 403
    cast_vote(fan=stranger, post_id=wish.pk)
    unshipped = api_as(stranger).put(f"/posts/{wish.pk}/solved", {"solved": True})
    assert unshipped.status_code == 422
    assert unshipped.json()["errors"][0]["field"] == "build_id"
    assert api_as(voters[0]).put("/posts/999999/solved", {"solved": True}).status_code == 404
    assert build.published_at is not None
    clock.move_to(build.published_at + timedelta(days=14))
    late = api_as(voters[0]).put(f"/posts/{post.pk}/solved", {"solved": True})
    assert late.status_code == 409
    assert "closed" in late.json()["errors"][0]["message"]
    assert not Answer.objects.exists()


def test_a_hidden_post_answers_nothing_to_who_may_not_see_it(api_as, build, voters, mo):  # noqa: F811
    """Its answers are as private as the post: a visitor or a voter learns nothing of a post
    moderators hid, nor answers about it; moderators still read the figures."""
    from orangefriday.moderation.actions import decide, flag_item
    from orangefriday.moderation.models import Review

    post = first_post(build)
    api_as(voters[0]).put(f"/posts/{post.pk}/solved", {"solved": False})
    flag_item(flagger=voters[1], post=post, reason="abusive")
    decide(by=mo, review=Review.objects.get(post=post), decision="hide", reason="abusive")

    for stranger in (None, voters[2]):
        answer = api_as(stranger).get(f"/posts/{post.pk}/solved")
        assert answer.status_code == 404, answer.content
    refused = api_as(voters[3]).put(f"/posts/{post.pk}/solved", {"solved": True})
    assert refused.status_code == 404
    assert not Answer.objects.filter(fan=voters[3]).exists()
    assert api_as(mo).get(f"/posts/{post.pk}/solved").json()["builds"][0]["answered"] == 1
