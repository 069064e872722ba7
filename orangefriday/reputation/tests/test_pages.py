"""The pages a fan reads: how points work (every setting's value), a product's leaderboards,
the profile's points, the about page's founding fans, a build's first testers, the tester
programme's page, quiz and standing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from orangefriday.board.actions import create_post
from orangefriday.conftest import make_fan
from orangefriday.core.events import dispatch
from orangefriday.feedback.actions import file_report
from orangefriday.reputation.models import FirstTester, FoundingFan

from .conftest import right_answers

pytestmark = pytest.mark.django_db


def test_how_points_work_lists_every_setting(client, settings):
    settings.REPUTATION_POINTS = {**settings.REPUTATION_POINTS, "idea_shipped": 77}
    settings.VOTE_MILESTONES = [10, 42]
    page = client.get("/about/points/").content.decode()
    assert "+77" in page
    for reason, points in settings.REPUTATION_POINTS.items():
        assert f'data-reason="{reason}"' in page
        assert (f"+{points}" if points > 0 else str(points)) in page
    assert "10, 42 votes" in page
    assert "no longer featured: the points it earned are taken back" in page
    assert "restores your post: the points it cost come back" in page
    for name in ("Newcomer", "Legend", "First adopted idea", "A year of weekly reports"):
        assert name in page


def test_profile_and_leaderboards_show_points_level_medals_and_rows(
    client, build, alice, product, clock
):
    dispatch()
    page = client.get("/accounts/fans/alice/").content.decode()
    assert 'data-testid="points">150<' in page
    assert "3. Enthusiast" in page
    assert "First adopted idea" in page
    assert "Pause recording during calls" in page  # a ledger row's post
    week = client.get(f"/p/{product.slug}/leaderboard/").content.decode()
    assert "alice" in week and ">150<" in week
    # Next week, nobody has earned anything yet; all time still counts.
    clock.move_to(timezone.now() + timedelta(days=7))
    assert "alice" not in client.get(f"/p/{product.slug}/leaderboard/?period=week").content.decode()
    assert "alice" in client.get(f"/p/{product.slug}/leaderboard/?period=all").content.decode()
    assert client.get(f"/p/{product.slug}/leaderboard/?period=<script>").status_code == 200


def test_founding_fans_are_the_first_to_take_part_up_to_the_setting(
    client, product, settings, maya, api_as
):
    settings.FOUNDING_FANS = 3
    fans = [make_fan(f"early{i}") for i in range(5)]
    for fan in fans:
        create_post(author=fan, product=product, kind="idea", title=f"Idea of {fan.username}")
    dispatch()
    assert list(FoundingFan.objects.values_list("fan__username", flat=True)) == [
        "early0",
        "early1",
        "early2",
    ]
    page = client.get(f"/p/{product.slug}/about/").content.decode()
    assert "early2" in page and "early3" not in page
    # Engineers may add one by name.
    response = api_as(maya).post(f"/products/{product.slug}/founding-fans", {"username": "early4"})
    assert response.status_code == 201 and response.json()["chosen"] is True
    assert (
        api_as(fans[0])
        .post(f"/products/{product.slug}/founding-fans", {"username": "early3"})
        .status_code
        == 403
    )
    names = [
        row["username"]
        for row in api_as(None).get(f"/products/{product.slug}/founding-fans").json()
    ]
    assert names == ["early0", "early1", "early2", "early4"]


def test_a_builds_first_testers_are_on_its_results_and_its_notes(
    client, build, changes, wish, settings, api_as
):
    settings.FIRST_TESTERS = 2
    for name in ("first", "second", "third"):
        file_report(
            fan=make_fan(name),
            build=build,
            mood="happy",
            loved=changes[0].pk,
            least_effective=changes[1].pk,
            wanted_post=wish.pk,
        )
    dispatch()
    assert list(FirstTester.objects.values_list("fan__username", "position")) == [
        ("first", 1),
        ("second", 2),
    ]
    for url in (f"/builds/{build.pk}/feedback/", build.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "Thanks to this build's first testers" in page
        assert "second" in page and "third" not in page
    listed = api_as(None).get(f"/builds/{build.pk}/first-testers").json()
    assert [row["username"] for row in listed] == ["first", "second"]


def test_the_programme_quiz_and_standing_pages(programme, product, logged_in, client):
    public = client.get(f"/p/{product.slug}/testers/").content.decode()
    assert "10 places" in public and "Sunday 24:00 (Asia/Shanghai)" in public
    assert "\u221240" in public and "remove a tester" in public  # a minus sign
    fan = make_fan("carol")
    browser = logged_in(fan)
    quiz = browser.get(f"/p/{product.slug}/testers/quiz/").content.decode()
    assert "Where do you attach a bug&#x27;s log?" in quiz
    # An unanswered quiz is shown again with the field's error, not a 500.
    again = browser.post(f"/p/{product.slug}/testers/quiz/", {})
    assert again.status_code == 400 and "This field is required" in again.content.decode()
    answers = {f"q{q}": c for q, c in right_answers(programme).items()}
    done = browser.post(f"/p/{product.slug}/testers/quiz/", answers, follow=True)
    page = done.content.decode()
    assert "welcome, Sound Recorder tester" in page
    assert "You are a tester" in page and "Bug reports with a log file: 0 of 1" in page
    bogus = browser.post(
        f"/p/{product.slug}/testers/quiz/", {f"q{q}": "99999" for q in right_answers(programme)}
    )
    assert bogus.status_code == 400


def test_a_product_without_a_programme_says_so(client, product):
    assert (
        "has no beta-tester programme yet"
        in client.get(f"/p/{product.slug}/testers/").content.decode()
    )
    assert client.get(f"/p/{product.slug}/testers/standing/").status_code in (302, 404)
