"""The demo community, checked the way a visitor would look at it."""

import io
import itertools
import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from django.conf import global_settings
from django.core.management import CommandError, call_command
from django.db.models import Avg, Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_tasks_db.models import DBTaskResult

from orangefriday.accounts.actions import create_api_token
from orangefriday.accounts.models import Role, User
from orangefriday.board.models import Category, Comment, Kind, Post, Product, Status, Tag
from orangefriday.board.queries import roadmap
from orangefriday.board.ranked import BoardFilter, board_posts
from orangefriday.board.search import filter_by_search
from orangefriday.core.calendar import (
    cut_instant,
    due_friday,
    version_for,
    week_number,
    week_start,
)
from orangefriday.core.models import Event
from orangefriday.demo import content
from orangefriday.feedback.models import Award, Rating, Report
from orangefriday.feedback.queries import window_closes
from orangefriday.notifications.models import Notification, OutboxEmail, Subscription
from orangefriday.notifications.tasks import deliver_outbox
from orangefriday.planning.models import Claim
from orangefriday.planning.queries import team_load, team_weeks, weekly_plan
from orangefriday.releases.models import Build, Change, Holiday
from orangefriday.releases.queries import notes_for
from orangefriday.voting.models import TrendingWindow, Vote

SEED = 7


def wipe() -> None:
    # Posts and comments protect their authors, so they go first.
    Comment.objects.all().delete()
    Post.objects.all().delete()
    Tag.objects.all().delete()
    Product.objects.all().delete()
    TrendingWindow.objects.all().delete()
    User.objects.all().delete()
    Event.objects.all().delete()  # the log names no row by foreign key
    DBTaskResult.objects.all().delete()


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup: None, django_db_blocker) -> Iterator[str]:
    """Load the demo once for this module (a few seconds) and remove it afterwards, so that
    the other apps' tests still start from an empty database."""
    out = io.StringIO()
    with django_db_blocker.unblock():
        call_command("load_demo", seed=SEED, stdout=out)
    yield out.getvalue()
    with django_db_blocker.unblock():
        wipe()


def board(name: str) -> Product:
    return Product.objects.get(name=name)


@pytest.mark.django_db
def test_the_three_products_have_their_categories():
    names = set(Product.objects.values_list("name", flat=True))
    assert {"MIUI", "Sound Recorder", "Camera"} <= names
    for product in Product.objects.all():
        assert product.categories.count() >= 3
    assert Category.objects.filter(product__name="MIUI", name="Launcher").exists()
    assert Category.objects.filter(product__name="Sound Recorder", name="Cloud sync").exists()


@pytest.mark.django_db
def test_fans_and_staff_can_log_in_with_the_demo_password(settings):
    # The demo hashes with the real hashers; the shared test settings only know a fast one.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    assert User.objects.filter(role=Role.FAN).count() >= 30
    maya, lei, mo, admin = (User.objects.get(username=n) for n in ("maya", "lei", "mo", "admin"))
    assert maya.role == lei.role == Role.ENGINEER
    assert mo.role == Role.MODERATOR and mo.is_moderator
    assert admin.role == Role.ADMIN and admin.is_staff and admin.is_superuser
    assert set(maya.engineering_products.values_list("name", flat=True)) == {
        "MIUI",
        "Sound Recorder",
        "Camera",
    }
    assert set(lei.engineering_products.values_list("name", flat=True)) == {"MIUI", "Camera"}
    fan = User.objects.get(username="hannah_reports")
    for user in (maya, lei, mo, admin, fan):
        assert user.check_password(content.PASSWORD)


@pytest.mark.django_db
def test_every_kind_of_post_is_well_represented():
    counts = dict(Post.objects.values_list("kind").annotate(n=Count("id")))
    assert counts[Kind.IDEA] >= 100
    assert counts[Kind.BUG] >= 100
    assert counts[Kind.DISCUSSION] >= 100
    for product in Product.objects.all():
        assert product.posts.filter(title__regex=r"[\u4e00-\u9fff]").count() >= 5


@pytest.mark.django_db
def test_bug_reports_carry_a_build_and_a_device():
    bugs = Post.objects.filter(kind=Kind.BUG)
    assert not bugs.filter(Q(build_version="") | Q(device="")).exists()
    assert bugs.filter(build_version__regex=r"^\d{2}\.\d{1,2}\.\d{1,2}$").count() == bugs.count()
    assert not Post.objects.exclude(kind=Kind.BUG).exclude(build_version="").exists()


@pytest.mark.django_db
def test_the_sound_recorder_board_has_the_journalists_requests():
    posts = Post.objects.filter(product=board("Sound Recorder"))
    assert posts.filter(title__icontains="mute the phone", kind=Kind.IDEA).exists()
    assert posts.filter(title__icontains="calls must not interrupt", kind=Kind.IDEA).exists()
    assert posts.filter(title__icontains="upload recordings to the cloud").exists()
    assert posts.filter(title="录音时自动静音手机").exists()
    assert posts.filter(title="通话时不要中断录音").exists()
    # They are what the board is known for: the most voted posts.
    top_titles = [
        p.title for p in board_posts(BoardFilter(product_id=posts[0].product_id, sort="top"))[:3]
    ]
    assert any("mute" in t.lower() for t in top_titles)
    assert any("call" in t.lower() for t in top_titles)


@pytest.mark.django_db
def test_stored_vote_counts_match_the_vote_rows():
    mismatched = Post.objects.annotate(n=Count("votes")).exclude(n=F("votes_count"))
    assert not mismatched.exists()
    window = TrendingWindow.objects.get()
    recent = Post.objects.annotate(
        n=Count("votes", filter=Q(votes__created_at__gt=window.counted_after))
    ).exclude(n=F("trending_votes"))
    assert not recent.exists()


@pytest.mark.django_db
def test_votes_have_a_long_tail_and_one_per_fan():
    counts = list(Post.objects.values_list("votes_count", flat=True))
    assert sum(1 for n in counts if n >= 20) >= 3
    assert sum(1 for n in counts if n <= 3) > len(counts) / 2
    assert not Vote.objects.values("post", "fan").annotate(n=Count("id")).filter(n__gt=1).exists()
    assert not Vote.objects.filter(post__author=F("fan")).exists()
    assert not Vote.objects.exclude(fan__role=Role.FAN).exists()


@pytest.mark.django_db
def test_times_make_sense():
    now = timezone.now()
    assert not Post.objects.filter(created_at__gt=now).exists()
    assert not Post.objects.filter(created_at__lt=now - timedelta(days=91)).exists()
    assert Post.objects.filter(created_at__gt=now - timedelta(days=7)).count() >= 20
    assert not Comment.objects.filter(created_at__lte=F("post__created_at")).exists()
    assert not Comment.objects.filter(created_at__gt=now).exists()
    assert not Comment.objects.filter(
        parent__isnull=False, created_at__lte=F("parent__created_at")
    ).exists()
    assert not Vote.objects.filter(created_at__lt=F("post__created_at")).exists()
    assert not Vote.objects.filter(created_at__gt=now).exists()
    # Some old posts still get votes this week, so "trending" is not just "new".
    assert Vote.objects.filter(
        created_at__gt=now - timedelta(days=7), post__created_at__lt=now - timedelta(days=14)
    ).exists()


@pytest.mark.django_db
def test_the_four_orders_of_the_sound_recorder_board_differ():
    product_id = board("Sound Recorder").pk
    pages = {
        sort: [p.pk for p in board_posts(BoardFilter(product_id=product_id, sort=sort))[:20]]
        for sort in ("top", "hot", "new", "trending")
    }
    orders = list(pages.values())
    assert len({tuple(order) for order in orders}) == 4, pages


@pytest.mark.django_db
def test_searching_in_chinese_finds_chinese_posts():
    found = list(filter_by_search(Post.objects.all(), "录音"))
    assert len(found) >= 5
    assert all("录音" in post.title + post.body for post in found)
    sound_recorder = board("Sound Recorder")
    titles = {p.title for p in found if p.product_id == sound_recorder.pk}
    assert "通话时不要中断录音" in titles


@pytest.mark.django_db
def test_engineers_comments_are_official_and_nobody_elses():
    comments = Comment.objects.select_related("post__product", "author")
    engineers = {
        product.pk: set(product.engineers.values_list("pk", flat=True))
        for product in Product.objects.all()
    }
    for comment in comments:
        assert comment.official == (comment.author_id in engineers[comment.post.product_id])
    official = comments.filter(official=True)
    assert official.filter(author__username="maya").exists()
    assert official.filter(author__username="lei").exists()
    # Every post whose status an engineer changed says so in an official comment.
    for post in Post.objects.exclude(status=Status.OPEN):
        assert post.comments.filter(official=True).exists(), post.title


@pytest.mark.django_db
def test_a_minority_of_posts_has_moved_on_from_open():
    statuses = dict(Post.objects.values_list("status").annotate(n=Count("id")))
    total = sum(statuses.values())
    assert statuses[Status.OPEN] > total * 0.7
    for status in ("under_review", "planned", "in_progress", "shipped", "declined"):
        assert statuses.get(status, 0) >= 1, status


@pytest.mark.django_db
def test_comment_counters_and_markdown():
    assert not Post.objects.annotate(n=Count("comments")).exclude(n=F("comments_count")).exists()
    assert Comment.objects.count() >= 500
    assert Comment.objects.filter(parent__isnull=False).exists()
    html = "".join(Post.objects.values_list("body_html", flat=True))
    for tag in ("<ul>", "<ol>", "<strong>", "<a href="):
        assert tag in html


@pytest.mark.django_db
def test_if_empty_leaves_a_loaded_database_alone():
    def counts() -> tuple[int, ...]:
        return tuple(m.objects.count() for m in (User, Product, Category, Post, Comment, Vote, Tag))

    before = counts()
    out = io.StringIO()
    call_command("load_demo", "--if-empty", stdout=out)
    assert counts() == before
    assert "already has products" in out.getvalue()


@pytest.mark.django_db
def test_without_if_empty_a_loaded_database_is_refused():
    with pytest.raises(CommandError, match="already has products"):
        call_command("load_demo", stdout=io.StringIO())


# Marked although it reads only the fixture's output: unmarked, pytest-django would run it
# after the transactional and browser tests, and the demo would be loaded a second time.
@pytest.mark.django_db
def test_the_command_reports_what_it_loaded(demo: str):
    assert "Loaded the demo community" in demo
    assert "orange-demo" in demo


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_community():
    def snapshot() -> list[tuple]:
        return list(
            # Each product has its own "Week 1 release announcement", at the same time: the
            # product is part of the order, or PostgreSQL may list them either way.
            Post.objects.order_by("created_at", "title", "product__slug").values_list(
                "title", "author__username", "votes_count", "status", "comments_count", "created_at"
            )
        )

    loaded_with_another_seed = [row[:-1] for row in snapshot()]
    with time_machine.travel(timezone.now(), tick=False):
        wipe()
        call_command("load_demo", seed=3, stdout=io.StringIO())
        first = snapshot()
        wipe()
        call_command("load_demo", seed=3, stdout=io.StringIO())
        assert snapshot() == first
    assert [row[:-1] for row in first] != loaded_with_another_seed


# The weekly loop ------------------------------------------------------------------------------


def weekly_builds(product: Product) -> list[Build]:
    return list(Build.objects.developer().filter(product=product).order_by("version_date"))


def holidays(product: Product) -> set:
    return set(product.holidays.values_list("date", flat=True))


@pytest.mark.django_db
def test_each_product_has_published_weekly_builds_named_by_their_fridays():
    now = timezone.now()
    assert Holiday.objects.filter(name="National Day").exists()
    for product in Product.objects.all():
        builds = weekly_builds(product)
        skipped = holidays(product)
        assert len(builds) >= 3, product
        first = builds[0].version_date
        for build in builds:
            assert build.version_date.weekday() == 4
            assert build.version == version_for(build.version_date)
            assert build.cut_at == cut_instant(build.version_date, product.time_zone)
            assert build.published_at == build.cut_at <= now
            assert build.week_number == week_number(build.version_date, first)
            assert build.version_date not in skipped
        # One build a week; only a holiday leaves a week out.
        for before, after in itertools.pairwise(builds):
            gap = (after.version_date - before.version_date).days // 7
            between = [before.version_date + timedelta(weeks=k) for k in range(1, gap)]
            assert all(day in skipped for day in between), (before, after)
        # The latest is the one due now: the Friday scheduler has nothing to catch up on.
        assert builds[-1].version_date == due_friday(now, product.time_zone, skipped)


@pytest.mark.django_db
def test_each_build_carries_the_posts_its_week_shipped_and_credits_their_proposers():
    for product in Product.objects.all():
        previous_cut = None
        for build in weekly_builds(product):
            changes = list(build.changes.select_related("post__claim__team"))
            assert 2 <= len(changes) <= 5, build
            for change in changes:
                post = change.post
                assert post is not None and post.status == Status.SHIPPED
                assert post.shipped_at is not None and post.shipped_at < build.cut_at
                assert previous_cut is None or post.shipped_at > previous_cut
                assert change.proposer_id == post.author_id
                assert change.voters_count == post.votes_count
                # The votes the notes credit were all in before the post shipped.
                assert not post.votes.filter(created_at__gte=post.shipped_at).exists()
                assert post.claim.team.product_id == product.pk
                assert post.claim.claimed_at < post.shipped_at
                # The engineer's answer under the post names the build it is in.
                official = post.comments.filter(official=True).values_list("body", flat=True)
                assert any(build.version in body for body in official), post.title
            lines = notes_for(build).lines
            assert all(line.post_url and line.proposer for line in lines)
            previous_cut = build.cut_at
    # A post is in one developer build.
    assert not Change.objects.values("post").annotate(n=Count("id")).filter(n__gt=1).exists()


@pytest.mark.django_db
def test_one_pinned_announcement_per_product_the_latest_builds():
    for product in Product.objects.all():
        builds = weekly_builds(product)
        latest = builds[-1]
        pinned = Post.objects.get(product=product, pinned=True)
        assert latest.announcement_id == pinned.pk
        assert re.fullmatch(
            rf"Week {latest.week_number} release announcement and changelog \({latest.version}\)",
            pinned.title,
        )
        assert pinned.author.username == "Orange Friday"
        assert pinned.created_at == latest.published_at
        # The body is the build's notes, crediting the fans whose posts it carries.
        proposers = latest.changes.values_list("proposer__username", flat=True)
        for username in proposers:
            assert f"@{username}" in pinned.body.replace("\\", "")
        older = Post.objects.filter(announced_build__in=builds[:-1])
        assert older.count() == len(builds) - 1
        assert not older.filter(pinned=True).exists()
        # Fans answer the announcements after updating.
        assert Comment.objects.filter(post__announced_build__product=product).exists()


@pytest.mark.django_db
def test_teams_of_two_or_three_engineers_hold_claims_within_their_capacity():
    now = timezone.now()
    for product in Product.objects.all():
        engineers = set(product.engineers.values_list("pk", flat=True))
        weeks = team_weeks(product, now=now)
        assert len(weeks) == 2
        for week in weeks:
            members = {m.pk for m in week.members}
            assert 2 <= len(members) <= 3 and members <= engineers
            assert week.in_progress, week.team
            assert week.load == team_load(week.team, now=now) <= week.capacity
            for claim in week.in_progress:
                assert claim.post.status == Status.IN_PROGRESS
                assert claim.engineer_id in members
                assert claim.claimed_at <= now
        for claim in Claim.objects.filter(team__product=product).select_related("post"):
            assert claim.week_start == week_start(claim.claimed_at, product.time_zone)
            assert claim.claimed_at > claim.post.created_at
            # The timeline names the week the post was claimed for.
            monday = claim.week_start
            notes = claim.post.status_changes.values_list("note", flat=True)
            assert any(f"week of {monday:%B} {monday.day};" in note for note in notes)


@pytest.mark.django_db
def test_the_planning_board_shows_claims_and_unclaimed_top_posts():
    now = timezone.now()
    for product in Product.objects.all():
        plan = weekly_plan(product, now=now)
        assert any(row.claim is None for row in plan.rows[:10]), product
        assert any(row.claim is not None for row in plan.rows), product
        assert not any(row.post.pinned for row in plan.rows)


@pytest.mark.django_db
def test_work_shipped_since_friday_waits_for_the_coming_cut():
    now = timezone.now()
    for product in Product.objects.all():
        last_cut = weekly_builds(product)[-1].cut_at
        waiting = Post.objects.filter(
            product=product, status=Status.SHIPPED, changes__isnull=True
        ).select_related("claim")
        # (Unless the build was cut a moment ago.)
        assert waiting.exists() or now - last_cut < timedelta(minutes=1), product
        for post in waiting:
            assert post.shipped_at is not None and last_cut < post.shipped_at <= now
            assert post.claim.claimed_at < post.shipped_at


@pytest.mark.django_db
def test_the_roadmap_has_something_in_every_column():
    for product in Product.objects.all():
        columns = roadmap(product)
        assert columns.planned and columns.in_progress and columns.shipped, product


@pytest.mark.django_db
def test_statuses_are_on_the_timelines_in_order():
    now = timezone.now()
    engineers = {
        product.pk: set(product.engineers.values_list("pk", flat=True))
        for product in Product.objects.all()
    }
    for post in Post.objects.exclude(status=Status.OPEN).prefetch_related("status_changes"):
        changes = list(post.status_changes.all())
        assert changes and changes[-1].to_status == post.status, post.title
        times = [change.created_at for change in changes]
        assert times == sorted(times) and post.created_at < times[0] and times[-1] <= now
        assert {change.by_id for change in changes} <= engineers[post.product_id]
        if post.shipped_at is not None:
            assert changes[-1].created_at == post.shipped_at == post.updated_at
    assert not Post.objects.filter(updated_at__gt=now).exists()
    assert not Subscription.objects.filter(created_at__gt=now).exists()


@pytest.mark.django_db
def test_the_demos_emails_count_as_sent_and_fans_have_a_bell_to_read():
    now = timezone.now()
    assert OutboxEmail.objects.filter(key__startswith="build:").exists()
    assert not OutboxEmail.objects.filter(sent_at__isnull=True).exists()
    assert not OutboxEmail.objects.filter(Q(sent_at__gt=now) | Q(created_at__gt=now)).exists()
    assert not DBTaskResult.objects.filter(
        task_path=deliver_outbox.module_path, status="READY"
    ).exists()
    # Every fan who voted for a post in a build was told about that build, once.
    for build in Build.objects.developer().published():
        assert build.published_at is not None
        told = list(Notification.objects.filter(build=build).values_list("fan_id", flat=True))
        votes = Vote.objects.filter(post__changes__build=build)
        voters = set(votes.values_list("fan_id", flat=True))
        assert len(told) == len(set(told)) and voters <= set(told)
        late = Notification.objects.filter(build=build).exclude(created_at=build.published_at)
        assert not late.exists()
    assert not Notification.objects.filter(created_at__gt=now).exists()
    assert not Notification.objects.filter(read_at__lt=F("created_at")).exists()
    # Old news has been read; the latest build and this week's work are new.
    assert Notification.objects.filter(read_at__isnull=True, fan__role=Role.FAN).exists()
    latest = Build.objects.developer().order_by("-version_date").first()
    assert latest is not None
    assert not Notification.objects.filter(
        created_at__lt=latest.published_at, read_at__isnull=True
    ).exists()


@pytest.mark.django_db
def test_the_weekly_loop_pages_show_it(client):
    for product in Product.objects.all():
        latest = weekly_builds(product)[-1]
        claimed = Claim.objects.filter(team__product=product, post__shipped_at__isnull=True)
        in_progress = claimed.select_related("post", "team").first()
        assert in_progress is not None
        expected = {
            "board:board": latest.version,
            "releases:changelog": latest.version,
            "planning:plan": in_progress.team.name,
            "board:roadmap": in_progress.post.title,
        }
        for page, text in expected.items():
            response = client.get(reverse(page, args=[product.slug]))
            assert response.status_code == 200, page
            assert escape(text) in response.content.decode(), page
        response = client.get(latest.get_absolute_url())
        assert response.status_code == 200
        for change in latest.changes.all():
            assert escape(change.text) in response.content.decode()
    fan = (
        User.objects.filter(notifications__read_at__isnull=True, role=Role.FAN)
        .order_by("username")
        .first()
    )
    assert fan is not None
    client.force_login(fan)
    assert client.get(reverse("notifications:list")).status_code == 200


# Build feedback ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_weekly_build_has_reports_and_ratings_filed_inside_its_window():
    now = timezone.now()
    for build in Build.objects.developer().published().select_related("product"):
        closes = window_closes(build)
        assert closes is not None and build.published_at is not None
        reports = Report.objects.filter(build=build)
        ratings = Rating.objects.filter(build=build)
        assert reports.count() >= 5 and ratings.count() >= 8, build
        for at in [
            *reports.values_list("created_at", flat=True),
            *ratings.values_list("created_at", flat=True),
        ]:
            assert build.published_at <= at < min(closes, now), build
        for report in reports.select_related("loved", "least_effective", "wanted"):
            assert report.loved.build_id == report.least_effective.build_id == build.pk
            assert report.loved_id != report.least_effective_id
            assert report.wanted.product_id == build.product_id
        # Rating a build says the fan runs it.
        runners = set(build.installations.values_list("fan_id", flat=True))
        assert set(ratings.values_list("fan_id", flat=True)) <= runners
    # Fans see different weeks differently.
    averages = {
        round(float(a), 1)
        for a in Build.objects.annotate(a=Avg("ratings__stability"))
        .exclude(a=None)
        .values_list("a", flat=True)
    }
    assert len(averages) > 5


@pytest.mark.django_db
def test_each_closed_week_has_its_popcorn_award_announced_the_week_after():
    now = timezone.now()
    for product in Product.objects.all():
        builds = weekly_builds(product)
        for build, following in itertools.pairwise([*builds, None]):
            assert build is not None
            closes = window_closes(build)
            assert closes is not None
            if closes > now:
                assert not Award.objects.filter(build=build).exists()
                continue
            award = Award.objects.select_related("team", "change__post__claim").get(build=build)
            loved = [Report.objects.filter(loved=c).count() for c in build.changes.all()]
            assert award.loved_count == Report.objects.filter(loved=award.change).count()
            assert award.loved_count == max(loved)
            post = award.change.post
            assert post is not None and award.team is not None
            assert award.team == post.claim.team
            assert award.awarded_at == closes
            if following is not None:
                assert award.announced_in == following
                assert following.announcement is not None
                assert "Popcorn Award" in following.announcement.body
                assert "Popcorn Award" in following.notes_intro
        # The latest build's window is open (Friday to Tuesday) or its award waits for Friday.
        assert Award.objects.filter(build__product=product, announced_in=None).count() <= 1


@pytest.mark.django_db
def test_the_results_builds_and_team_pages_show_the_feedback(client):
    build = Build.objects.developer().filter(popcorn_award__isnull=False).first()
    assert build is not None
    award = Award.objects.select_related("team").get(build=build)
    page = client.get(reverse("feedback:results", args=[build.pk])).content.decode()
    reports = Report.objects.filter(build=build).count()
    assert f'data-testid="reports-count">{reports}<' in page
    assert 'data-testid="popcorn-award"' in page and escape(award.change.text) in page
    assert page.count("<svg") == 6
    builds_page = client.get(reverse("releases:builds", args=[build.product.slug]))
    assert builds_page.content.decode().count('data-testid="build-stability"') >= 6
    assert award.team is not None
    team_page = client.get(award.team.get_absolute_url()).content.decode()
    assert 'data-testid="team-awards"' in team_page


@pytest.mark.django_db
def test_bug_reports_name_their_builds_and_the_latest_builds_have_known_issues(client):
    for product in Product.objects.all():
        bugs = Post.objects.filter(product=product, kind=Kind.BUG)
        named = bugs.filter(found_in_build__isnull=False)
        assert named.count() >= 5
        assert not named.exclude(found_in_build__version=F("build_version")).exists()
        assert not named.exclude(found_in_build__product=product).exists()
        latest = weekly_builds(product)[-1]
        issues = list(latest.known_issues.select_related("post"))
        assert 1 <= len(issues) <= 3
        assert all(i.post.kind == Kind.BUG and i.post.found_in_build == latest for i in issues)
        assert latest.installations.count() > 10
        page = client.get(latest.get_absolute_url()).content.decode()
        assert escape(issues[0].post.title) in page


@pytest.mark.django_db
def test_demo_fans_are_verified_and_the_newcomer_must_confirm_first(logged_in, client):
    staff_and_fans = [row[0] for row in (*content.STAFF, *content.FANS)]
    demo_accounts = User.objects.filter(username__in=staff_and_fans)
    assert demo_accounts.count() == len(staff_and_fans)
    assert not demo_accounts.filter(email_verified_at__isnull=True).exists()
    newcomer = User.objects.get(username=content.NEWCOMER)
    assert newcomer.email_verified_at is None
    settings_page = logged_in(newcomer).get("/accounts/settings/").content.decode()
    assert "not confirmed yet" in settings_page and "Send the link again" in settings_page
    _, token = create_api_token(user=newcomer, name="shell", limited=False)
    response = client.post(
        "/api/v1/posts",
        {"product": "camera", "title": "Hello"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 403
    assert "Confirm your e-mail address first" in response.json()["detail"]
