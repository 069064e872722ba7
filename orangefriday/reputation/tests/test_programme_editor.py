"""The engineers' page for the tester programme and its quiz: who may open it, setting a
programme up, adding, editing, reordering and removing questions, the errors where the eye
is (and nothing half-saved), and the right answers kept from fans on every page and in the
API."""

import pytest

from orangefriday.reputation.models import Programme
from orangefriday.reputation.testers import take_quiz

from .conftest import right_answers

pytestmark = pytest.mark.django_db


def editor(product) -> str:
    return f"/p/{product.slug}/testers/edit/"


def management(total: int, initial: int) -> dict[str, str]:
    return {
        "q-TOTAL_FORMS": str(total),
        "q-INITIAL_FORMS": str(initial),
        "q-MIN_NUM_FORMS": "0",
        "q-MAX_NUM_FORMS": "1000",
    }


def settings_of(places=10, pass_mark=50, intro="Test our builds") -> dict[str, str]:
    return {"places": str(places), "pass_mark": str(pass_mark), "is_open": "on", "intro": intro}


def question(n: int, text: str, *choices: tuple[str, bool], order: int | None = None) -> dict:
    data = {f"q-{n}-text": text, f"q-{n}-ORDER": str(order if order is not None else n + 1)}
    for slot, (choice, right) in enumerate(choices, start=1):
        data[f"q-{n}-choice_{slot}"] = choice
        if right:
            data[f"q-{n}-right_{slot}"] = "on"
    return data


def quiz_of(product) -> list[tuple[str, list[tuple[str, bool]]]]:
    programme = Programme.objects.get(product=product)
    return [
        (q.text, [(c.text, c.correct) for c in q.choices.all()]) for q in programme.questions.all()
    ]


def test_only_engineers_and_admins_open_the_editor_and_see_its_link(
    client, logged_in, product, maya, alice, mo, programme
):
    assert client.get(editor(product)).status_code == 302  # to log in
    assert logged_in(alice).get(editor(product)).status_code == 403
    assert logged_in(mo).get(editor(product)).status_code == 403  # moderators run no programme
    assert (
        "Edit the programme and its quiz"
        not in logged_in(alice).get(f"/p/{product.slug}/testers/").content.decode()
    )
    page = logged_in(maya).get(f"/p/{product.slug}/testers/").content.decode()
    assert f'href="{editor(product)}"' in page
    form = logged_in(maya).get(editor(product)).content.decode()
    assert 'value="Where do you attach a bug&#x27;s log?"' in form
    assert 'name="q-0-right_1" id="id_q-0-right_1" checked' in form  # the right answer, ticked


def test_an_engineer_sets_up_a_programme_and_writes_its_quiz(logged_in, product, maya):
    setup = logged_in(maya).get(f"/p/{product.slug}/testers/").content.decode()
    assert "Set up the tester programme" in setup
    data = {
        **management(2, 0),
        **settings_of(places=3, pass_mark=50),
        **question(0, "Where goes the log?", ("On the bug report", True), ("E-mail", False)),
        **question(1, "Which day ships?", ("Monday", False), ("Friday", True), ("", False)),
    }
    done = logged_in(maya).post(editor(product), data, follow=True)
    assert "The programme and its quiz are saved." in done.content.decode()
    programme = Programme.objects.get(product=product)
    assert (programme.places, programme.pass_mark, programme.intro) == (3, 50, "Test our builds")
    assert quiz_of(product) == [
        ("Where goes the log?", [("On the bug report", True), ("E-mail", False)]),
        ("Which day ships?", [("Monday", False), ("Friday", True)]),  # the blank one left out
    ]


def test_editing_reorders_changes_removes_and_adds_questions(logged_in, product, maya, programme):
    first, second = programme.questions.all()
    data = {
        **management(4, 2),
        **settings_of(),
        # The first moves last and gets a second right answer; the second is removed.
        **question(0, first.text, ("On the bug report", True), ("By e-mail", True), order=3),
        **question(1, second.text, ("Sunday 24:00", True), ("Friday 17:00", False)),
        "q-1-DELETE": "on",
        **question(2, "New one?", ("Yes", True), ("No", False), order=1),
    }
    assert logged_in(maya).post(editor(product), data).status_code == 302
    assert quiz_of(product) == [
        ("New one?", [("Yes", True), ("No", False)]),
        (first.text, [("On the bug report", True), ("By e-mail", True)]),
    ]


@pytest.mark.parametrize(
    "change, where, message",
    [
        ({"pass_mark": "0"}, 'name="pass_mark"', "greater than or equal to 1"),
        ({"pass_mark": "101"}, 'name="pass_mark"', "less than or equal to 100"),
        ({"q-1-choice_2": ""}, 'data-testid="question-2"', "A question needs two or more choices."),
        ({"q-1-right_1": ""}, 'data-testid="question-2"', "Mark at least one choice as right."),
        ({"q-1-choice_1": ""}, 'name="q-1-choice_1"', "A right choice needs words."),
        ({"q-0-text": ""}, 'name="q-0-text"', "This field is required."),
    ],
)
def test_a_wrong_quiz_is_shown_again_with_the_error_and_nothing_saved(
    logged_in, product, maya, programme, change, where, message
):
    before = quiz_of(product)
    data = {
        **management(2, 2),
        **settings_of(places=4, pass_mark=60),
        **question(0, "Changed words", ("On the bug report", True), ("By e-mail", False)),
        **question(1, "Which day ships?", ("Friday", True), ("Monday", False)),
        **change,
    }
    response = logged_in(maya).post(editor(product), data)
    page = response.content.decode()
    assert response.status_code == 400 and message in page
    # The message stands after the field or in the question it is about.
    assert page.count(message) == 1 and page.index(message) > page.index(where)
    assert quiz_of(product) == before
    programme.refresh_from_db()
    assert (programme.places, programme.pass_mark) == (10, 100)


def test_places_below_the_testers_are_refused_on_the_page(
    logged_in, product, maya, programme, alice, bob
):
    for fan in (alice, bob):
        take_quiz(fan=fan, product=product, answers=right_answers(programme))
    data = {**management(0, 0), **settings_of(places=1)}
    response = logged_in(maya).post(editor(product), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "2 fans are testers now: keep at least 2 places." in page
    assert page.index("keep at least 2 places") > page.index('name="places"')
    assert Programme.objects.get(product=product).places == 10


def test_fans_never_see_the_right_answers(logged_in, api_as, product, programme, alice):
    quiz = logged_in(alice).get(f"/p/{product.slug}/testers/quiz/").content.decode()
    assert "On the bug report" in quiz and "By e-mail" in quiz
    assert "right_" not in quiz and "correct" not in quiz and "checked" not in quiz
    listed = api_as(alice).get(f"/products/{product.slug}/testers").json()
    choices = [c for q in listed["questions"] for c in q["choices"]]
    assert len(choices) == 4 and all(set(c) == {"id", "text"} for c in choices)
    assert "correct" not in str(api_as(None).get(f"/products/{product.slug}/testers").json())


def test_the_api_refuses_the_same_quiz_mistakes_by_field(api_as, product, maya, programme, alice):
    take_quiz(fan=alice, product=product, answers=right_answers(programme))
    fewer = api_as(maya).put(f"/products/{product.slug}/testers", {"places": 0, "pass_mark": 90})
    assert fewer.status_code == 422
    assert fewer.json()["errors"][0]["field"] == "places"
    none_right = {
        "places": 5,
        "pass_mark": 90,
        "questions": [{"text": "Which?", "choices": [{"text": "a"}, {"text": "b"}]}],
    }
    refused = api_as(maya).put(f"/products/{product.slug}/testers", none_right)
    assert refused.status_code == 422 and "Mark at least one choice" in refused.text
    assert Programme.objects.get(product=product).places == 10
