"""The results page, the forms on it, and what feedback adds to the builds list, the build
page, the team page and the post page."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from orangefriday.conftest import make_fan
from orangefriday.feedback.actions import file_report, give_due_awards, rate_build
from orangefriday.feedback.models import Report
from orangefriday.releases.cuts import cut_and_publish_due_builds
from orangefriday.releases.models import Build
from orangefriday.releases.tests.conftest import ship

from .conftest import CLOSES, local

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def results_url(build: Build) -> str:
    return reverse("feedback:results", args=[build.pk])


@pytest.fixture
def verdicts(build, changes, wish):
    """Three fans' reports and four ratings: 8, 8, 9 and 5."""
    ballots = [("happy", 0, 1), ("love_it", 0, 2), ("happy", 2, 1)]
    for number, (mood, loved, least) in enumerate(ballots):
        file_report(
            fan=make_fan(f"tester{number}"),
            build=build,
            mood=mood,
            loved=changes[loved].pk,
            least_effective=changes[least].pk,
            wanted_post=wish.pk,
        )
    for number, stability in enumerate([8, 8, 9, 5]):
        rate_build(fan=make_fan(f"rater{number}"), build=build, stability=stability)


def test_anyone_reads_the_results_with_charts_and_no_inline_style(build, changes, verdicts):
    page = text_of(Client().get(results_url(build)))
    assert re.search(r'data-testid="reports-count">3<', page)
    assert re.search(r'data-testid="ratings-count">4<', page)
    assert re.search(r'data-testid="stability-average">7.5<', page)
    for chart in ("moods", "stability", "loved", "least", "wanted", "trend"):
        assert '<svg class="chart' in page[: page.index(f'data-testid="chart-{chart}"')]
    # The mood bars: "Happy" 2, "Love it" 1; the most loved change first.
    loved = page[page.index('data-testid="chart-loved"') :]
    assert (
        loved.index(changes[0].text) < loved.index(changes[2].text) < loved.index(changes[1].text)
    )
    assert "Transcribe recordings" in page
    assert "style=" not in page
    assert "Log in</a> to rate this build and file your four-grid report" in page


def test_a_fan_files_a_report_and_a_rating_through_the_forms(
    build, changes, wish, alice, logged_in
):
    client = logged_in(alice)
    page = text_of(client.get(results_url(build)))
    assert 'data-testid="report-form"' in page and "File my report" in page
    response = client.post(
        reverse("feedback:report", args=[build.pk]),
        {
            "mood": "looking_forward",
            "loved": changes[1].pk,
            "least_effective": changes[2].pk,
            "wanted_post": "",
            "wanted_text": "Record in stereo",
        },
    )
    assert response.status_code == 302
    report = Report.objects.get(fan=alice)
    assert (report.mood, report.wanted.title) == ("looking_forward", "Record in stereo")
    client.post(reverse("feedback:rating", args=[build.pk]), {"stability": "9"})
    page = text_of(client.get(results_url(build)))
    assert "Change my report" in page and "you rated it 9" in page
    # The form shows what the fan said, ready to change.
    assert f'<option value="{changes[1].pk}" selected>' in page


def test_form_errors_are_shown_on_the_fields(build, changes, wish, alice, logged_in):
    client = logged_in(alice)
    response = client.post(
        reverse("feedback:report", args=[build.pk]),
        {"mood": "happy", "loved": changes[0].pk, "least_effective": changes[0].pk},
    )
    assert response.status_code == 400
    page = text_of(response)
    assert "must differ from the most loved" in page
    response = client.post(reverse("feedback:rating", args=[build.pk]), {"stability": "11"})
    assert response.status_code == 400
    assert "Select a valid choice" in text_of(response)
    assert not Report.objects.exists()


def test_after_the_window_the_form_is_gone_and_a_late_post_is_refused_clearly(
    clock, build, changes, wish, alice, logged_in
):
    clock.move_to(CLOSES)
    client = logged_in(alice)
    page = text_of(client.get(results_url(build)))
    assert 'data-testid="report-form"' not in page
    assert "The window for four-grid reports is closed." in page
    # ... and when the next one opens: with the next Friday's developer build.
    assert (
        "The next window opens when the next developer build ships: Fri 4 Dec at 17:00 "
        "(Asia/Shanghai)." in page
    )
    assert 'data-testid="rating-form"' in page  # fans still rate the build they run
    response = client.post(
        reverse("feedback:report", args=[build.pk]),
        {
            "mood": "happy",
            "loved": changes[0].pk,
            "least_effective": changes[1].pk,
            "wanted_post": wish.pk,
        },
    )
    assert response.status_code == 302
    page = text_of(client.get(response["Location"]))
    assert "closed on Tue 1 Dec at 24:00 (Asia/Shanghai)" in page
    assert not Report.objects.exists()


def test_the_builds_page_shows_stability_and_reports_in_one_query_for_the_list(
    clock, product, build, verdicts, maya, alice
):
    def builds_page_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = Client().get(reverse("releases:builds", args=[product.slug]))
        assert response.status_code == 200
        return len(captured)

    before = builds_page_queries()
    for week in range(1, 4):
        friday = local(2026, 11, 27, 17, 0) + timedelta(weeks=week)
        clock.move_to(friday - timedelta(days=2))
        ship(engineer=maya, author=alice, product=product, title=f"Week {week} idea")
        clock.move_to(friday)
        cut_and_publish_due_builds(now=timezone.now())
    assert builds_page_queries() == before

    page = text_of(Client().get(reverse("releases:builds", args=[product.slug])))
    row = page[page.index('data-version="26.11.27"') :]
    assert re.match(r'.*?data-testid="build-stability">7.5</strong>/10 \(4 ratings\)', row)
    assert re.match(r'.*?data-testid="build-reports">3</strong> reports', row)


def test_the_award_shows_on_the_results_build_team_and_post_pages(
    clock, build, changes, verdicts, rockets
):
    clock.move_to(CLOSES)
    give_due_awards()
    winner = changes[0]
    client = Client()
    results = text_of(client.get(results_url(build)))
    assert 'data-testid="popcorn-award"' in results and "Rockets" in results
    assert "2 of 3 fans loved it most" in results
    assert 'Popcorn Award: <span translate="no">' + winner.text in text_of(
        client.get(build.get_absolute_url())
    )
    team = text_of(client.get(rockets.get_absolute_url()))
    assert re.search(r'data-testid="team-awards-count">1<', team)
    assert 'aria-label="Popcorn Award of' in team and '<svg class="icon"' in team
    post = text_of(client.get(winner.post.get_absolute_url()))
    assert 'data-testid="post-award"' in post and "Won the Popcorn Award of" in post


def test_drafts_have_no_results_page_for_fans(clock, product, maya, alice):
    from orangefriday.releases.cuts import cut_developer_build

    ship(engineer=maya, author=alice, product=product, title="An idea")
    clock.move_to(local(2026, 11, 27, 17, 0))
    draft = cut_developer_build(product=product, at=timezone.now()).build
    assert draft is not None
    assert Client().get(results_url(draft)).status_code == 404


def test_admins_read_reports_ratings_and_awards(clock, build, verdicts, logged_in):
    admin = make_fan("root", "admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = logged_in(admin)
    for model in ("report", "rating", "award"):
        response = client.get(f"/admin/feedback/{model}/")
        assert response.status_code == 200, model
    assert "tester0" in client.get("/admin/feedback/report/").content.decode()
    assert client.get("/admin/feedback/report/add/").status_code == 403
