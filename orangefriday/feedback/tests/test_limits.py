"""Four-grid reports and ratings count against the fan's limit for reports (README)."""

import pytest

from orangefriday.feedback.models import Rating, Report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rate_limits")]


def test_a_new_fan_files_one_report_a_minute(build, changes, wish, bob, api_as, logged_in):
    body = {
        "mood": "happy",
        "loved": changes[0].pk,
        "least_effective": changes[1].pk,
        "wanted_post": wish.pk,
    }
    api = api_as(bob)
    assert api.put(f"/builds/{build.pk}/report", body).status_code == 200
    refused = api.put(f"/builds/{build.pk}/report", {**body, "mood": "sad"})
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert "Too many four-grid reports" in refused.json()["detail"]
    assert Report.objects.get().mood == "happy"
    page = logged_in(bob).post(f"/builds/{build.pk}/feedback/rating/", {"stability": "7"})
    assert page.status_code == 400 and "Too many four-grid reports" in page.content.decode()
    assert not Rating.objects.exists()
