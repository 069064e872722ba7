"""The API of reputation and the tester programme: the same rules as the pages, problem
details for bad input, 403 for what only engineers do."""

import pytest

from orangefriday.core.events import dispatch

from .conftest import right_answers, wrong_answers

pytestmark = pytest.mark.django_db


def test_points_levels_medals_and_leaderboards(build, alice, product, api_as):
    dispatch()
    anyone = api_as(None)
    rules = anyone.get("/reputation/rules").json()
    assert {"reason": "idea_shipped", "points": 50}.items() <= rules["points"][0].items()
    assert [level["starts_at"] for level in rules["levels"]][:2] == [0, 20]
    mine = anyone.get("/fans/alice/reputation").json()
    assert mine["points"] == 150 and mine["level"]["name"] == "Enthusiast"
    assert [m["code"] for m in mine["medals"]] == ["first_adopted"]
    assert mine["products"] == [{"product": product.slug, "points": 150}]
    assert mine["recent"][0]["reason"] == "idea_shipped"
    for period in ("week", "all"):
        board = anyone.get(f"/products/{product.slug}/leaderboard", period=period).json()
        assert board[0]["username"] == "alice" and board[0]["points"] == 150
    assert anyone.get(f"/products/{product.slug}/leaderboard", period="year").status_code == 422
    assert anyone.get("/fans/nobody/reputation").status_code == 404


def test_the_programme_through_the_api(product, maya, alice, bob, api_as):
    quiz = {
        "places": 1,
        "pass_mark": 50,
        "questions": [
            {
                "text": "Logs go where?",
                "choices": [{"text": "Bug", "correct": True}, {"text": "Mail"}],
            }
        ],
    }
    assert api_as(bob).put(f"/products/{product.slug}/testers", quiz).status_code == 403
    written = api_as(maya).put(f"/products/{product.slug}/testers", quiz)
    assert written.status_code == 200, written.json()
    programme = written.json()
    assert programme["places"] == 1 and programme["deductions"][0]["points"] > 0
    question = programme["questions"][0]
    assert "correct" not in question["choices"][0]  # the answers are not given away
    right = {"question": question["id"], "choice": question["choices"][0]["id"]}
    wrong = {"question": question["id"], "choice": question["choices"][1]["id"]}

    failed = api_as(bob).post(f"/products/{product.slug}/testers/attempts", {"answers": [wrong]})
    assert failed.status_code == 201 and failed.json()["passed"] is False
    joined = api_as(alice).post(f"/products/{product.slug}/testers/attempts", {"answers": [right]})
    assert joined.json() == {"score": 100, "passed": True, "tester": True, "full": False}
    full = api_as(bob).post(f"/products/{product.slug}/testers/attempts", {"answers": [right]})
    assert full.json()["full"] is True
    again = api_as(alice).post(f"/products/{product.slug}/testers/attempts", {"answers": [right]})
    assert again.status_code == 409 and "already a tester" in again.json()["detail"]

    standing = api_as(alice).get(f"/products/{product.slug}/testers/me").json()
    assert standing["status"] == "tester" and standing["missing"]
    left = api_as(alice).post(f"/products/{product.slug}/testers/me/leave").json()
    assert left["status"] == "left" and left["locked_until"] and left["can_apply"] is False
    assert api_as(None).get(f"/products/{product.slug}/testers").json()["testers"] == []


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"answers": "all"},
        {"answers": [{"question": 0, "choice": 1}]},
        {"answers": [{"question": 2**63, "choice": 1}]},
        {"answers": [{"question": "1", "choice": 1}]},
    ],
)
def test_bad_attempts_are_422_problems(programme, product, alice, api_as, body):
    response = api_as(alice).post(f"/products/{product.slug}/testers/attempts", body)
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")


def test_an_unanswered_question_is_named_on_its_field(programme, product, alice, api_as):
    answers = [{"question": q, "choice": c} for q, c in wrong_answers(programme).items()][:1]
    response = api_as(alice).post(
        f"/products/{product.slug}/testers/attempts", {"answers": answers}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "answers"
    assert right_answers(programme)


def test_the_programme_of_a_product_without_one_is_404(product, api_as):
    assert api_as(None).get(f"/products/{product.slug}/testers").status_code == 404
