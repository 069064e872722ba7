"""The insights page: weekly counts from the precomputed rows, lead times, solved share and
stability per build, the engineers' part, CSV downloads and the API; no request reads the
votes table."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from orangefriday.board.actions import create_post
from orangefriday.board.models import Post
from orangefriday.board.scoring import rescore
from orangefriday.conftest import make_fan
from orangefriday.feedback.actions import answer_solved, rate_build
from orangefriday.insights.models import WeekFigures
from orangefriday.insights.refresh import refresh_week_figures
from orangefriday.voting.actions import cast_vote
from orangefriday.voting.models import Vote

from .conftest import local

pytestmark = pytest.mark.django_db

PAGE = "/p/sound-recorder/insights/"


def series(api_body: dict, key: str) -> dict[str, float | None]:
    found = next(s for s in api_body["series"] if s["key"] == key)
    return {point["label"]: point["value"] for point in found["points"]}


def rows(chart: str, client: Client | None = None) -> list[list[str]]:
    """A chart's CSV download, as rows."""
    response = (client or Client()).get(f"{PAGE}{chart}.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_weekly_counts_come_from_the_refresh(clock, product, alice, bob, api_as):
    clock.move_to(local(2026, 11, 18, 12, 0))  # the week of Monday 16 Nov
    older = create_post(author=alice, product=product, kind="idea", title="Bigger buttons")
    cast_vote(fan=bob, post_id=older.pk)
    clock.move_to(local(2026, 11, 23, 0, 30))  # just after Monday 00:00 in Shanghai
    carol = make_fan("carol")
    newer = create_post(author=carol, product=product, kind="idea", title="Dark mode")
    for fan in (alice, bob, carol):
        cast_vote(fan=fan, post_id=newer.pk)

    assert refresh_week_figures() > 0

    body = api_as(None).get("/products/sound-recorder/insights").json()
    assert series(body, "posts")["2026-11-16"] == 1
    assert series(body, "posts")["2026-11-23"] == 1
    assert series(body, "votes")["2026-11-16"] == 1
    assert series(body, "votes")["2026-11-23"] == 3
    # 23 Nov 00:30 in Shanghai is 22 Nov 16:30 UTC: the product's week, not UTC's, counts.
    # alice and bob joined on Monday 23 Nov at 09:00 (the clock's start), carol at 00:30.
    assert series(body, "fans")["2026-11-23"] == 3
    assert series(body, "fans")["2026-11-16"] == 0
    assert len(body["weeks"]) == 12 and body["weeks"][-1] == "2026-11-23"

    # Until the next refresh a new vote is not counted; the refresh counts it.
    cast_vote(fan=make_fan("dan"), post_id=newer.pk)
    assert (
        series(api_as(None).get("/products/sound-recorder/insights").json(), "votes")["2026-11-23"]
        == 3
    )
    refresh_week_figures()
    assert (
        series(api_as(None).get("/products/sound-recorder/insights").json(), "votes")["2026-11-23"]
        == 4
    )


def test_the_refresh_recounts_only_the_last_two_weeks_once_it_has_history(clock, product, alice):
    clock.move_to(local(2026, 11, 2, 12, 0))
    create_post(author=alice, product=product, kind="idea", title="Old idea")
    clock.move_to(local(2026, 11, 23, 12, 0))
    refresh_week_figures()
    assert WeekFigures.objects.filter(product=product).count() == 12
    WeekFigures.objects.filter(week="2026-11-02").update(posts=99)

    refresh_week_figures()  # the scheduler's run: 16 and 23 Nov only

    assert WeekFigures.objects.get(week="2026-11-02").posts == 99
    refresh_week_figures(weeks=12)  # manage.py refresh_insights
    assert WeekFigures.objects.get(week="2026-11-02").posts == 1


def test_the_page_shows_lead_time_solved_share_and_stability(clock, build, alice, bob):
    clock.move_to(local(2026, 11, 28, 10, 0))
    first = build.changes.order_by("position").first()
    assert first is not None and first.post is not None
    for fan, solved in ((alice, True), (bob, False)):
        cast_vote(fan=fan, post_id=first.post.pk)
        answer_solved(fan=fan, post=first.post, build=build, solved=solved)
    rate_build(fan=bob, build=build, stability=7)
    refresh_week_figures()

    page = Client().get(PAGE)

    assert page.status_code == 200
    html = page.content.decode()
    # Posted Monday, Tuesday, Wednesday at 11:00, shipped Friday at 17:00: 4.25, 3.25 and
    # 2.25 days; the median is 3.25, shown to a tenth.
    assert 'data-testid="lead-time">3.2 days<' in html
    for chart in ("fans", "posts", "votes", "adopted", "lead-time", "solved", "stability"):
        assert f'data-testid="chart-{chart}"' in html
        assert f"/p/sound-recorder/insights/{chart}.csv" in html
    assert "chart-few-readers" not in html and "team-lead-times" not in html  # engineers'

    assert rows("solved") == [["build", "percent solved"], ["26.11.27", "50"]]
    assert rows("stability")[1] == ["26.11.27", "7.0"]
    assert dict(rows("adopted"))["2026-11-23"] == "3"  # alice's three ideas


def test_engineers_see_lead_time_per_team_and_the_first_page(clock, build, maya, logged_in, api_as):
    # The build's ideas shipped, so they left the board's default list; four open ones are
    # on its first page: one well read, the rest read by nobody yet.
    for title in ("Louder playback", "Trim clips", "Dark theme", "Bigger buttons"):
        create_post(author=maya, product=build.product, kind="idea", title=title, limited=False)
    posts = list(Post.objects.filter(product=build.product, pinned=False, status="open"))
    Post.objects.filter(pk=posts[0].pk).update(readers_count=50)
    refresh_week_figures()

    html = logged_in(maya).get(PAGE).content.decode()
    assert 'data-testid="chart-few-readers"' in html
    assert (
        'data-testid="team-lead-times"' in html
        and '<td translate="no">Rockets</td><td>3</td><td>3.2</td>' in html
    )
    few = dict(
        csv.reader(io.StringIO(logged_in(maya).get(f"{PAGE}few-readers.csv").content.decode()))
    )
    unread = len(posts) - 1
    assert few["2026-11-23"] == str(round(100 * unread / len(posts)))
    body = api_as(maya).get("/products/sound-recorder/insights").json()
    assert body["teams"] == [{"team": "Rockets", "shipped": 3, "median_lead_days": 3.2}]
    assert Client().get(f"{PAGE}few-readers.csv").status_code == 404
    assert api_as(None).get("/products/sound-recorder/insights").json()["teams"] == []


def test_no_request_reads_the_votes(clock, build, alice, bob):
    for fan in (alice, bob):
        cast_vote(fan=fan, post_id=build.changes.first().post_id)
    refresh_week_figures()
    votes_table = Vote._meta.db_table
    with CaptureQueriesContext(connection) as page:
        assert Client().get(PAGE).status_code == 200
    with CaptureQueriesContext(connection) as api:
        assert Client().get("/api/v1/products/sound-recorder/insights").status_code == 200
    for captured in (page, api):
        assert not [q["sql"] for q in captured.captured_queries if votes_table in q["sql"]]
        assert len(captured.captured_queries) < 25


def test_unknown_product_or_chart_is_a_404(product):
    assert Client().get("/p/nope/insights/").status_code == 404
    assert Client().get(f"{PAGE}nope.csv").status_code == 404
    assert Client().get("/api/v1/products/nope/insights").status_code == 404


def test_a_week_without_a_refresh_is_empty_not_zero(clock, product, api_as):
    body = api_as(None).get("/products/sound-recorder/insights").json()
    assert set(series(body, "votes").values()) == {None}
    assert body["median_lead_days"] is None
    clock.move_to(local(2026, 11, 23, 9, 0) + timedelta(weeks=1))
    assert Client().get(PAGE).status_code == 200


def test_the_first_page_counts_the_places_given_to_posts_not_yet_judged(clock, build, maya):
    # Twenty posts well read and mildly wanted fill the ranking's first page; four unread
    # ones rank below them but take its last four places, as fans see the board.
    well_read = [
        create_post(
            author=maya, product=build.product, kind="idea", title=f"Read {n}", limited=False
        )
        for n in range(20)
    ]
    for n in range(4):
        create_post(
            author=maya, product=build.product, kind="idea", title=f"New {n}", limited=False
        )
    Post.objects.filter(pk__in=[p.pk for p in well_read]).update(
        readers_count=50, weighted_readers=50, votes_count=4, weighted_votes=4
    )
    rescore([p.pk for p in well_read])

    refresh_week_figures()

    week = WeekFigures.objects.get(product=build.product, week="2026-11-23")
    assert week.first_page_few_readers == pytest.approx(4 / 20)
