"""The demo community, checked the way a visitor would look at it."""

import io
import itertools
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import global_settings
from django.core.management import CommandError, call_command
from django.db.models import Avg, Count, Exists, F, OuterRef, Q
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_tasks_db.models import DBTaskResult

from orangefriday.accounts.actions import create_api_token
from orangefriday.accounts.models import Role, User
from orangefriday.board.models import (
    Category,
    Comment,
    Kind,
    Post,
    PostImage,
    Product,
    Status,
    Tag,
)
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
from orangefriday.core.models import Event, RateCounter
from orangefriday.demo import content
from orangefriday.demo.moderation import FEATURED
from orangefriday.feedback.models import Award, Rating, Report
from orangefriday.feedback.queries import window_closes
from orangefriday.moderation.models import LogEntry, Review
from orangefriday.notifications.models import Notification, OutboxEmail, Subscription
from orangefriday.notifications.preferences import choices, digest_of
from orangefriday.notifications.tasks import deliver_outbox
from orangefriday.planning.models import Claim
from orangefriday.planning.queries import team_load, team_weeks, weekly_plan
from orangefriday.releases.models import Build, Change, Holiday
from orangefriday.releases.queries import notes_for
from orangefriday.reputation.models import Entry as RepEntry
from orangefriday.reputation.models import FoundingFan as RepFoundingFan
from orangefriday.reputation.models import Medal as RepMedal
from orangefriday.reputation.models import Total as RepTotal
from orangefriday.reputation.rules import level_for
from orangefriday.sales.models import FCode, Launch, Order, Referral
from orangefriday.sales.queries import round_results
from orangefriday.voting.models import TrendingWindow, Vote

SEED = 7


def wipe() -> None:
    # Posts and comments protect their authors, so they go first.
    LogEntry.objects.all().delete()  # the log protects its moderators
    Comment.objects.all().delete()
    Post.objects.all().delete()
    Tag.objects.all().delete()
    Product.objects.all().delete()
    TrendingWindow.objects.all().delete()
    User.objects.all().delete()
    Event.objects.all().delete()  # the log names no row by foreign key
    DBTaskResult.objects.all().delete()
    # The demo's tester programmes count their quiz attempts against the fans' limits.
    RateCounter.objects.all().delete()


@pytest.fixture(scope="module")
def demo_images(tmp_path_factory) -> Path:
    """Where the demo's avatars are kept for the whole module (a test reads them with
    `settings.IMAGE_ROOT = demo_images`)."""
    return tmp_path_factory.mktemp("images")


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup: None, django_db_blocker, demo_images) -> Iterator[str]:
    """Load the demo once for this module (a few seconds) and remove it afterwards, so that
    the other apps' tests still start from an empty database. Its images are drawn into a
    directory of the tests' own."""
    out = io.StringIO()
    images = override_settings(IMAGE_ROOT=demo_images)
    images.enable()
    with django_db_blocker.unblock():
        call_command("load_demo", seed=SEED, stdout=out)
    yield out.getvalue()
    with django_db_blocker.unblock():
        wipe()
    images.disable()


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
def test_a_bug_report_and_an_idea_show_their_pictures(client):
    images = PostImage.objects.select_related("post")
    assert {image.post.kind for image in images} == {Kind.BUG, Kind.IDEA}
    bug = images.filter(post__kind=Kind.BUG).first()
    assert bug is not None
    page = client.get(bug.post.get_absolute_url()).content.decode()
    assert f'src="{bug.get_absolute_url()}"' in page
    # One described by its fan, one by the default words.
    assert {image.shown_alt for image in images.filter(post=bug.post)} >= {"Image 2 of the post"}
    assert any(image.alt for image in images)


@pytest.mark.django_db
def test_the_sound_recorder_board_has_the_journalists_requests():
    posts = Post.objects.filter(product=board("Sound Recorder"))
    assert posts.filter(title__icontains="mute the phone", kind=Kind.IDEA).exists()
    assert posts.filter(title__icontains="calls must not interrupt", kind=Kind.IDEA).exists()
    assert posts.filter(title__icontains="upload recordings to the cloud").exists()
    assert posts.filter(title="录音时自动静音手机").exists()
    assert posts.filter(title="通话时不要中断录音").exists()
    # They are what the board is known for: the most voted posts (shipped ones too).
    top_titles = [p.title for p in posts.order_by("-votes_count")[:3]]
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
def test_the_five_orders_of_the_sound_recorder_board_differ():
    product_id = board("Sound Recorder").pk
    pages = {
        sort: [p.pk for p in board_posts(BoardFilter(product_id=product_id, sort=sort))[:20]]
        for sort in ("best", "top", "hot", "new", "trending")
    }
    orders = list(pages.values())
    assert len({tuple(order) for order in orders}) == 5, pages


@pytest.mark.django_db
def test_the_default_board_ranks_by_votes_per_reader_with_why_on_each_post(client):
    product = board("Sound Recorder")
    page = client.get(product.get_absolute_url()).content.decode()
    assert 'sort=best" aria-current="page"' in page
    ranked = list(board_posts(BoardFilter(product_id=product.pk))[:16])
    scores = [post.best_score for post in ranked]
    assert scores == sorted(scores, reverse=True)
    # Readers beyond the voters: votes per reader differ from post to post.
    assert all(post.readers_count >= post.votes_count for post in ranked)
    assert len({round(post.votes_count / post.readers_count, 2) for post in ranked}) > 5
    assert [p.pk for p in ranked] != [
        p.pk for p in board_posts(BoardFilter(product_id=product.pk, sort="top"))[:16]
    ]
    post = client.get(ranked[0].get_absolute_url()).content.decode()
    assert 'data-testid="why-it-ranks"' in post and "Its score is" in post


@pytest.mark.django_db
def test_a_new_accounts_reads_weigh_less():
    newcomer = User.objects.get(username=content.NEWCOMER)
    assert newcomer.trust_level == 0
    read = Post.objects.filter(readers__fan=newcomer)
    assert read.count() == 5
    assert all(post.weighted_readers == pytest.approx(post.readers_count - 0.7) for post in read)


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
    # The count is of the comments shown (the demo's rude comment is hidden by flags).
    shown = Count("comments", filter=Q(comments__visibility="visible"))
    assert not Post.objects.annotate(n=shown).exclude(n=F("comments_count")).exists()
    assert Comment.objects.exclude(visibility="visible").exists()
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
    # Its voters said the latest build did not solve it: open again, its claim released.
    reopened = set(Event.objects.filter(kind="post.reopened").values_list("subject_id", flat=True))
    for product in Product.objects.all():
        previous_cut = None
        for build in weekly_builds(product):
            changes = list(build.changes.select_related("post__claim__team"))
            assert 2 <= len(changes) <= 5, build
            for change in changes:
                post = change.post
                assert post is not None
                if post.pk in reopened:
                    assert post.status == Status.OPEN and not Claim.objects.filter(post=post)
                    continue
                assert post.status == Status.SHIPPED
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
        # A build out for hours (Friday evening) has had few fans yet.
        if now - build.published_at >= timedelta(days=2):
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
            # A post its voters reopened gave its claim back; the award keeps the team.
            if not Event.objects.filter(kind="post.reopened", subject_id=post.pk).exists():
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
    assert page.count('<svg class="chart') == 6  # the charts (icons are SVG too)
    builds_page = client.get(reverse("releases:builds", args=[build.product.slug]))
    # Every rated build (a build out for minutes has no rating yet).
    rated = Rating.objects.filter(build__product=build.product).values("build").distinct()
    assert rated.count() >= 5
    assert builds_page.content.decode().count('data-testid="build-stability"') >= rated.count()
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
        issues = list(latest.known_issues.select_related("post__found_in_build"))
        assert 1 <= len(issues) <= 3
        # Found in it, or (a build out for hours) in the build before, not fixed yet.
        found = [i.post.found_in_build for i in issues if i.post.kind == Kind.BUG]
        assert len(found) == len(issues)
        assert all(
            b and b.product == product and b.version_date <= latest.version_date for b in found
        )
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


@pytest.mark.django_db
def test_fans_at_every_trust_level_and_a_moderator_with_work_in_the_queue(client, logged_in):
    levels = set(User.objects.filter(role=Role.FAN).values_list("trust_level", flat=True))
    assert levels == {0, 1, 2, 3, 4}
    page = logged_in(User.objects.get(username="mo")).get(reverse("moderation:queue"))
    html = page.content.decode()
    assert page.status_code == 200 and html.count('data-testid="review"') >= 4
    for waiting in ("Cheap recorder microphones", "Only an idiot records", "abusive", "held"):
        assert waiting in html
    log = logged_in(User.objects.get(username="mo")).get(reverse("moderation:log"))
    assert "spam: a link to buy followers" in log.content.decode()
    assert "insults in three threads" in log.content.decode()
    # The held and hidden posts are nowhere on the boards.
    assert "Cheap recorder microphones" not in client.get("/p/sound-recorder/").content.decode()
    assert Review.objects.filter(state="open", held=True).count() == 2


@pytest.mark.django_db
def test_a_fan_one_comment_short_of_member_becomes_one_by_commenting(logged_in):
    from orangefriday.board.actions import add_comment
    from orangefriday.core.events import dispatch

    fan = User.objects.get(username="nearly_member")
    client = logged_in(fan)  # what the next level needs is shown to the fan
    profile = reverse("accounts:profile", args=[fan.username])
    page = client.get(profile).content.decode()
    assert fan.trust_level == 1 and "1 · basic" in page
    assert re.search(r"<td>comments written</td><td>2 / 3</td><td></td>", page)

    post = Post.objects.visible().filter(product__slug="sound-recorder").order_by("-pk").first()
    assert post is not None
    add_comment(author=fan, post=post, body="A third comment.")
    dispatch()  # what make run's worker does after the commit

    assert "2 · member" in client.get(profile).content.decode()


@pytest.mark.django_db
def test_last_weeks_shipped_posts_have_answers_and_one_is_open_again(client):
    from orangefriday.feedback.models import Answer

    for product in Product.objects.all():
        latest = weekly_builds(product)[-1]
        answered = Answer.objects.filter(build=latest)
        assert answered.exists()
        assert not answered.exclude(post__changes__build=latest).exists()
        voted = Vote.objects.filter(post=OuterRef("post"), fan=OuterRef("fan"))
        assert not answered.filter(~Exists(voted)).exists()  # only voters answer
    reopened = Event.objects.get(kind="post.reopened")
    post = Post.objects.get(pk=reopened.subject_id)
    assert post.status == Status.OPEN
    note = post.status_changes.get(by__isnull=True)
    assert note.note.startswith(f"Reopened: {reopened.payload['unsolved']} of the ")
    assert reopened.payload["version"] in note.note
    page = client.get(post.get_absolute_url()).content.decode()
    assert 'data-testid="system-note"' in page and "voters who answered" in page
    results = client.get(f"/builds/{reopened.payload['build_id']}/feedback/").content.decode()
    assert 'data-testid="results-solved"' in results and "solved for " in results


@pytest.mark.django_db
def test_each_product_has_insights_with_data(client):
    for product in Product.objects.all():
        page = client.get(f"/p/{product.slug}/insights/")
        assert page.status_code == 200
        html = page.content.decode()
        lead = re.search(r'data-testid="lead-time">([\d.]+) days<', html)
        assert lead is not None and float(lead.group(1)) > 0
        for chart in ("posts", "votes", "adopted", "lead-time", "solved", "stability"):
            assert f'data-testid="chart-{chart}"' in html
        votes = client.get(f"/p/{product.slug}/insights/votes.csv").content.decode()
        assert (
            sum(int(line.split(",")[1]) for line in votes.splitlines()[1:] if line.split(",")[1])
            > 100
        )


@pytest.mark.django_db
def test_rebuild_reputation_gives_the_live_ledgers_totals():
    """Must show 1 of the reputation issue: the totals and medals the consumers kept while
    the demo's history was replayed are what the ledger alone gives."""
    kept = set(RepTotal.objects.values_list("fan_id", "product_id", "points"))
    medals = set(RepMedal.objects.values_list("fan_id", "code", "awarded_at"))
    assert len(kept) > 50 and medals
    out = io.StringIO()
    call_command("rebuild_reputation", stdout=out)
    assert f"{len(kept)} totals rebuilt from the ledger, 0 differed" in out.getvalue()
    assert set(RepTotal.objects.values_list("fan_id", "product_id", "points")) == kept
    assert set(RepMedal.objects.values_list("fan_id", "code", "awarded_at")) == medals
    # Each total is the sum of its rows: a product's, or all of the fan's for the site.
    for fan_id, product_id, points in sorted(kept, key=str)[:30]:
        rows = RepEntry.objects.filter(fan_id=fan_id)
        if product_id is not None:
            rows = rows.filter(product_id=product_id)
        assert sum(rows.values_list("points", flat=True)) == points


@pytest.mark.django_db
def test_fans_have_levels_medals_leaderboards_and_an_honour_roll(client):
    site = RepTotal.objects.filter(product__isnull=True)
    assert len({level_for(points).number for points in site.values_list("points", flat=True)}) >= 3
    assert RepMedal.objects.values("code").distinct().count() >= 3
    miui = board("MIUI")
    top = RepTotal.objects.filter(product=miui).order_by("-points").first()
    assert top is not None
    page = client.get(f"/p/{miui.slug}/leaderboard/?period=all").content.decode()
    assert f">{top.fan.shown_name}<" in page  # its display name, if any
    profile = client.get(f"/accounts/fans/{top.fan.username}/").content.decode()
    assert 'data-testid="medals"' in profile and 'data-testid="ledger"' in profile
    about = client.get(f"/p/{miui.slug}/about/").content.decode()
    founders = RepFoundingFan.objects.filter(product=miui)
    assert founders.count() >= 20 and founders[0].fan.username in about
    for build in weekly_builds(miui):
        if build.reports.exists():
            firsts = list(build.first_testers.order_by("position"))
            assert 1 <= len(firsts) <= 10
            assert firsts[0].fan_id == build.reports.order_by("created_at")[0].fan_id
    latest = weekly_builds(miui)[-2]
    results = client.get(f"/builds/{latest.pk}/feedback/").content.decode()
    assert "Thanks to this build's first testers" in results


@pytest.mark.django_db
def test_each_product_has_testers_in_good_standing_and_one_removed(logged_in, client):
    for product in Product.objects.all():
        programme = product.programme
        assert programme.questions.count() >= 3
        active = programme.testers.filter(status="active")
        removed = programme.testers.filter(status="removed")
        assert active.count() >= 3 and removed.count() == 1
        assert active.count() <= programme.places
        gone = removed.get()
        page = logged_in(gone.fan).get(f"/p/{product.slug}/testers/standing/").content.decode()
        assert "You were removed" in page and "no bug report with a log file" in page
        assert "You may apply again from" in page
        good = logged_in(active[0].fan).get(f"/p/{product.slug}/testers/standing/")
        assert "You are a tester" in good.content.decode()
        public = client.get(f"/p/{product.slug}/testers/").content.decode()
        assert active[0].fan.username in public


@pytest.mark.django_db
def test_a_past_launch_with_results_and_an_upcoming_one_open_for_reservations(client, logged_in):
    past = Launch.objects.get(slug="orange-one")
    (sale_round,) = past.rounds.all()
    results = round_results(sale_round)
    assert sum(r.sold for r in results) >= 15
    assert sum(r.expired for r in results) == 3 and sum(r.cancelled for r in results) == 1
    assert sum(r.revenue for r in results) > 0
    assert Order.objects.filter(sale_round=sale_round, fcode__isnull=False).count() == 1
    # The expired holds went to fans who had found it sold out, and nobody holds two.
    live = Order.objects.filter(sale_round=sale_round, state__in=["paid", "shipped", "held"])
    assert live.values("fan").distinct().count() == live.count()
    assert Referral.objects.filter(credited_at__isnull=False).count() == 1
    page = logged_in(User.objects.get(username="maya")).get(f"/rounds/{sale_round.pk}/results/")
    assert page.status_code == 200 and 'data-testid="chart-round"' in page.content.decode()

    upcoming = Launch.objects.get(slug="orange-one-pro")
    now = timezone.now()
    assert upcoming.reservations_open_at < now < upcoming.reservations_close_at
    assert upcoming.rounds.count() == 2 and upcoming.reservations.count() == 12
    shown = client.get(upcoming.get_absolute_url()).content.decode()
    assert 'data-testid="countdown"' in shown and "Log in to reserve" in shown
    fan = User.objects.filter(role=Role.FAN, email_verified_at__isnull=False).exclude(
        reservations__launch=upcoming
    )[0]
    reserved = logged_in(fan).post(f"/launches/{upcoming.slug}/reserve/")
    assert reserved.status_code == 302
    assert upcoming.reservations.count() == 13
    sale_news = Notification.objects.filter(kind="sale")
    assert sale_news.filter(message__contains="sale round").count() == 30  # the past round's
    # The testers and top contributors whose standing earned an F-code heard of it.
    earned = FCode.objects.filter(reason__in=["tester", "points"], gifted_at__isnull=True)
    assert earned.exists()
    for fcode in earned:
        assert sale_news.filter(fan=fcode.holder, message__startswith="You have an F-code").exists()


@pytest.mark.django_db
def test_todays_conversation_rings_the_bells_of_the_mentioned_fans():
    hannah = Notification.objects.get(fan__username="hannah_reports", kind="mention")
    assert hannah.read_at is None and hannah.message.startswith("priya_newsdesk mentioned you")
    assert "#comment-" in hannah.url and hannah.text.startswith("@hannah_reports it works")
    li = Notification.objects.get(fan__username="li_jizhe", kind="mention")
    assert li.read_at is None
    maya = Notification.objects.get(fan__username="maya", kind="mention")
    assert maya.message.startswith("李娜 · 记者 mentioned you")  # her display name
    # priya hears li_jizhe's reply to her comment; li_jizhe chose a daily digest.
    assert Notification.objects.filter(fan__username="priya_newsdesk", kind="reply").exists()
    li_fan = User.objects.get(username="li_jizhe")
    assert digest_of(li_fan) == "daily" and choices(li_fan)["reply"].email is False


@pytest.mark.django_db
def test_a_few_good_posts_are_featured_and_their_authors_earned_the_points(client):
    for product in Product.objects.all():
        featured = Post.objects.visible().filter(product=product, featured_at__isnull=False)
        assert featured.count() == FEATURED
        page = client.get(f"/p/{product.slug}/?featured=1").content.decode()
        for post in featured:
            assert f'data-post-id="{post.pk}"' in page
            assert RepEntry.objects.filter(
                fan=post.author, reason="post_featured", source_id=post.pk
            ).exists()
            assert LogEntry.objects.filter(action="feature", post=post).exists()


@pytest.mark.django_db
def test_some_fans_have_display_names_some_chinese_and_avatars_shown_on_their_posts(
    client, settings, demo_images
):
    settings.IMAGE_ROOT = demo_images
    named = User.objects.exclude(display_name="")
    assert named.count() >= 5
    assert any("\u4e00" <= char <= "\u9fff" for fan in named for char in fan.display_name)
    li = User.objects.get(username="li_jizhe")
    assert li.display_name == "李娜 · 记者" and li.avatar
    image = client.get(li.avatar_url)
    assert image.status_code == 200 and image["Content-Type"] in ("image/png", "image/jpeg")
    post = Post.objects.filter(author=li).first()
    assert post is not None
    page = client.get(post.get_absolute_url()).content.decode()
    assert "李娜 · 记者" in page and f'src="{li.avatar_url}"' in page
    without = User.objects.filter(role=Role.FAN, avatar="").exclude(username="newcomer")
    assert without.exists()  # the others show a drawn initial
