"""The feedback API: PUT a report and a rating, GET the results and the awards."""

import pytest

from orangefriday.feedback.actions import give_due_awards
from orangefriday.feedback.models import Report

from .conftest import CLOSES

pytestmark = pytest.mark.django_db


def body(build, changes, wish, **overrides):
    values = {
        "mood": "love_it",
        "loved": changes[0].pk,
        "least_effective": changes[1].pk,
        "wanted_post": wish.pk,
    }
    values.update(overrides)
    return values


def fields(response) -> list[str]:
    assert response["Content-Type"] == "application/problem+json"
    return [error["field"] for error in response.json()["errors"]]


def test_a_fan_puts_a_report_and_a_rating_then_anyone_reads_the_results(
    build, changes, wish, alice, api_as
):
    api = api_as(alice)
    response = api.put(f"/builds/{build.pk}/report", body(build, changes, wish))
    assert response.status_code == 200, response.content
    assert response.json()["loved"] == changes[0].pk
    # Tuesday 24:00, given in the product's time zone.
    assert response.json()["window_closes"] == "2026-12-02T00:00:00+08:00"
    assert (
        api.put(f"/builds/{build.pk}/report", body(build, changes, wish, mood="sad")).json()["mood"]
        == "sad"
    )
    assert api.put(f"/builds/{build.pk}/rating", {"stability": 8}).status_code == 200

    results = api_as(None).get(f"/builds/{build.pk}/feedback").json()
    assert (results["reports"], results["ratings"], results["average_stability"]) == (1, 1, 8.0)
    assert {m["id"]: m["count"] for m in results["moods"]} == {
        "happy": 0,
        "sad": 1,
        "love_it": 0,
        "looking_forward": 0,
    }
    assert results["loved"][0] == {"label": changes[0].text, "count": 1, "id": str(changes[0].pk)}
    assert results["least_effective"][0]["id"] == str(changes[1].pk)
    assert results["wanted"] == [{"label": wish.title, "count": 1, "id": str(wish.pk)}]
    assert results["stability"] == [0, 0, 0, 0, 0, 0, 0, 1, 0, 0]
    assert [t["version"] for t in results["trend"]] == ["26.11.27"]
    assert results["award"] is None


def test_invalid_changes_are_422_with_the_field(build, changes, wish, alice, api_as):
    api = api_as(alice)
    url = f"/builds/{build.pk}/report"
    same = api.put(url, body(build, changes, wish, least_effective=changes[0].pk))
    assert same.status_code == 422 and fields(same) == ["least_effective"]
    unknown = api.put(url, body(build, changes, wish, loved=123456))
    assert unknown.status_code == 422 and fields(unknown) == ["loved"]
    mood = api.put(url, body(build, changes, wish, mood="meh"))
    assert mood.status_code == 422 and fields(mood) == ["mood"]
    rating = api.put(f"/builds/{build.pk}/rating", {"stability": 0})
    assert rating.status_code == 422 and fields(rating) == ["stability"]
    assert not Report.objects.exists()


def test_a_change_of_another_build_is_422(clock, build, changes, wish, alice, maya, api_as):
    from orangefriday.releases.cuts import cut_internal_build
    from orangefriday.releases.models import Change

    from .conftest import local

    internal = cut_internal_build(product=build.product, at=local(2026, 11, 27, 17, 0), by=maya)
    other = Change.objects.create(build=internal, kind="new", text="Elsewhere")
    response = api_as(alice).put(
        f"/builds/{build.pk}/report", body(build, changes, wish, least_effective=other.pk)
    )
    assert response.status_code == 422 and fields(response) == ["least_effective"]


def test_after_the_window_a_report_is_409_with_a_clear_message(
    clock, build, changes, wish, alice, api_as
):
    clock.move_to(CLOSES)
    response = api_as(alice).put(f"/builds/{build.pk}/report", body(build, changes, wish))
    assert response.status_code == 409
    assert fields(response) == ["build"]
    assert "closed on Tue 1 Dec at 24:00 (Asia/Shanghai)" in response.json()["detail"]
    assert not Report.objects.exists()


def test_writes_need_a_fan(build, changes, wish, api_as):
    anonymous = api_as(None)
    assert (
        anonymous.put(f"/builds/{build.pk}/report", body(build, changes, wish)).status_code == 401
    )
    assert anonymous.put(f"/builds/{build.pk}/rating", {"stability": 5}).status_code == 401


def test_awards_per_product_and_per_team(clock, build, changes, wish, alice, rockets, api_as):
    api_as(alice).put(f"/builds/{build.pk}/report", body(build, changes, wish))
    assert api_as(None).get("/products/sound-recorder/awards").json() == []
    clock.move_to(CLOSES)
    give_due_awards()
    (award,) = api_as(None).get("/products/sound-recorder/awards").json()
    assert award["version"] == "26.11.27"
    assert (award["change_id"], award["team"], award["team_id"]) == (
        changes[0].pk,
        "Rockets",
        rockets.pk,
    )
    assert (award["loved_count"], award["reports_count"]) == (1, 1)
    assert award["results_url"].endswith(f"/builds/{build.pk}/feedback/")
    assert api_as(None).get(f"/teams/{rockets.pk}/awards").json() == [award]
    assert api_as(None).get(f"/builds/{build.pk}/feedback").json()["award"] == award
    assert api_as(None).get("/products/nope/awards").status_code == 404
