"""Publishing a developer build: the pinned announcement, the voters told, edits afterwards."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from orangefriday.board.actions import change_status
from orangefriday.board.models import Kind, Post
from orangefriday.core.events import dispatch
from orangefriday.notifications.models import Notification, OutboxEmail
from orangefriday.releases.cuts import cut_and_publish_due_builds, cut_developer_build
from orangefriday.releases.installations import declare_running
from orangefriday.releases.models import Build, Installation
from orangefriday.releases.publishing import (
    SYSTEM_FAN_USERNAME,
    edit_change,
    edit_notes,
    publish_build,
)

from .conftest import local, ship

pytestmark = pytest.mark.django_db


@pytest.fixture
def week_one(clock, product, maya, alice, bob, fans) -> Build:
    clock.move_to(local(2026, 11, 25, 10, 0))
    ship(
        engineer=maya,
        author=alice,
        product=product,
        title="Mute while recording",
        voters=[bob, *fans],
    )
    ship(engineer=maya, author=bob, product=product, title="Crash on full SD card", kind="bug")
    clock.move_to(local(2026, 11, 27, 17, 0))
    build = cut_developer_build(product=product, at=timezone.now()).build
    assert build is not None
    return build


def test_publishing_pins_the_week_announcement_by_the_official_account(week_one, maya):
    build = publish_build(by=maya, build=week_one)
    dispatch()

    assert build.published_at == timezone.now()
    assert build.published_by == maya
    post = build.announcement
    assert post is not None
    assert post.title == "Week 1 release announcement and changelog (26.11.27)"
    assert post.kind == Kind.DISCUSSION
    assert post.author.username == SYSTEM_FAN_USERNAME
    assert not post.author.has_usable_password()
    assert Post.objects.get(pk=post.pk).pinned
    assert "## New" in post.body and "## Fixed" in post.body
    assert "proposed by [@alice]" in post.body and "6 fans voted" in post.body
    mute = build.changes.get(kind="new")
    assert f'<a href="/posts/{mute.post_id}/" rel="nofollow noopener noreferrer ugc">Mute' in (
        post.body_html
    )
    assert post.get_absolute_url() in [
        p.get_absolute_url() for p in Post.objects.filter(pinned=True)
    ]


def test_every_voter_and_follower_is_told_once(week_one, maya, alice, bob, fans):
    bobs_emails_before = OutboxEmail.objects.filter(fan=bob).count()  # status changes
    publish_build(by=maya, build=week_one)
    dispatch()
    publish_build(by=maya, build=week_one)  # twice does nothing more
    dispatch()

    told = set(Notification.objects.filter(build=week_one).values_list("fan__username", flat=True))
    # Voters of "Mute", and the authors, who follow their own posts.
    assert told == {"alice", "bob", *(f.username for f in fans)}
    assert Notification.objects.filter(build=week_one, fan=bob).count() == 1
    assert OutboxEmail.objects.filter(fan=bob).count() == bobs_emails_before + 1
    assert Post.objects.filter(announced_build__isnull=False).count() == 1


def test_publishing_twice_changes_nothing(week_one, maya):
    first = publish_build(by=maya, build=week_one)
    dispatch()
    again = publish_build(by=maya, build=week_one)
    dispatch()
    assert again.published_at == first.published_at
    assert again.announcement_id == first.announcement_id


def test_fans_cannot_publish(week_one, alice):
    with pytest.raises(PermissionDenied):
        publish_build(by=alice, build=week_one)
        dispatch()
    week_one.refresh_from_db()
    assert week_one.published_at is None


def test_next_weeks_announcement_replaces_the_pinned_one(week_one, clock, product, maya, alice):
    publish_build(by=maya, build=week_one)
    dispatch()
    clock.move_to(local(2026, 12, 4, 17, 0))
    published = cut_and_publish_due_builds(now=timezone.now())
    dispatch()

    assert [b.version for b in published] == ["26.12.4"]
    week_two = published[0]
    assert week_two.published_by is None  # the scheduler
    assert week_two.announcement is not None
    assert week_two.announcement.title.startswith("Week 2 release announcement and changelog")
    assert list(Post.objects.filter(product=product, pinned=True)) == [week_two.announcement]


def test_a_late_published_older_build_does_not_take_the_pin(clock, product, maya):
    clock.move_to(local(2026, 11, 27, 17, 0))
    older = cut_developer_build(product=product, at=timezone.now()).build
    clock.move_to(local(2026, 12, 4, 17, 0))
    newer = cut_developer_build(product=product, at=timezone.now()).build
    assert older is not None and newer is not None
    publish_build(by=maya, build=newer)
    dispatch()
    publish_build(by=maya, build=older)
    dispatch()
    pinned = Post.objects.filter(product=product, pinned=True)
    assert [p.announced_build for p in pinned] == [newer]


def test_the_scheduled_cut_leaves_a_hand_cut_draft_alone(week_one, clock):
    # week_one was cut by hand as a draft; the scheduler finds it there and does not publish.
    assert cut_and_publish_due_builds(now=timezone.now()) == []
    dispatch()
    week_one.refresh_from_db()
    assert week_one.published_at is None


def test_edits_after_publishing_rewrite_the_announcement_safely(week_one, maya):
    build = publish_build(by=maya, build=week_one)
    dispatch()
    change = build.changes.get(kind="new")

    edit_change(by=maya, change=change, text="Mute <script>alert(1)</script> while recording")
    edit_change(by=maya, change=build.changes.get(kind="fixed"), kind="improved")
    edit_notes(by=maya, build=build, intro="Thanks to **every** fan! <img src=x onerror=alert(1)>")

    post = Post.objects.get(announced_build=build)
    assert post.body.startswith("Thanks to **every** fan!")
    assert "## Improved" in post.body and "## Fixed" not in post.body
    assert "<strong>every</strong>" in post.body_html
    assert "<script" not in post.body_html and "<img" not in post.body_html
    assert "Mute &lt;script&gt;alert(1)&lt;/script&gt; while recording" in post.body_html
    assert "alert" in post.search_body


def test_edits_are_checked(week_one, maya, alice):
    change = week_one.changes.first()
    with pytest.raises(ValidationError) as error:
        edit_change(by=maya, change=change, text="   ", kind="better")
    assert set(error.value.message_dict) == {"text", "kind"}
    with pytest.raises(ValidationError) as error:
        edit_notes(by=maya, build=week_one, intro="x" * 5001)
    assert "intro" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        edit_notes(by=alice, build=week_one, intro="I am not an engineer")


def test_an_announcement_marked_shipped_is_never_a_change(week_one, clock, product, maya):
    build = publish_build(by=maya, build=week_one)
    dispatch()
    assert build.announcement is not None
    change_status(by=maya, post=build.announcement, status="shipped")
    dispatch()
    clock.move_to(local(2026, 12, 4, 17, 0))
    (week_two,) = cut_and_publish_due_builds(now=timezone.now())
    dispatch()
    assert week_two.changes.count() == 0


def test_one_products_broken_time_zone_does_not_stop_the_others_friday(clock, product, camera):
    camera.time_zone = "Nowhere/Atlantis"
    camera.created_at = product.created_at
    camera.save()
    clock.move_to(local(2026, 11, 27, 17, 0))
    published = cut_and_publish_due_builds(now=timezone.now())
    dispatch()
    assert [(b.product.slug, b.version) for b in published] == [("sound-recorder", "26.11.27")]


def test_a_fan_says_they_run_a_published_build_once(product, maya, alice, bob, clock):
    ship(engineer=maya, author=alice, product=product, title="Mute")
    clock.move_to(local(2026, 11, 27, 17, 0))
    build = cut_developer_build(product=product, at=local(2026, 11, 27, 17, 0)).build
    assert build is not None
    with pytest.raises(ValidationError, match="not published"):
        declare_running(fan=bob, build=build)
    build = publish_build(by=maya, build=build)
    dispatch()
    declare_running(fan=bob, build=build)
    declare_running(fan=bob, build=build)
    assert list(Installation.objects.values_list("fan__username", "build__version")) == [
        ("bob", "26.11.27")
    ]
