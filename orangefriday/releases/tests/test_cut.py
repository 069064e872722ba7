"""The Friday cut: which posts a developer build holds, and that cutting is idempotent."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from orangefriday.board.actions import change_status, create_post
from orangefriday.board.models import Status
from orangefriday.releases.cuts import cut_developer_build, cut_internal_build
from orangefriday.releases.models import Build, Change, Channel, Holiday

from .conftest import local, ship

pytestmark = pytest.mark.django_db

FRIDAY_17 = local(2026, 11, 27, 17, 0)


def test_the_friday_build_holds_every_shipped_post_with_kind_proposer_and_voters(
    clock, product, maya, alice, bob, fans
):
    clock.move_to(local(2026, 11, 25, 10, 0))
    mute = ship(
        engineer=maya, author=alice, product=product, title="Mute while recording", voters=fans
    )
    crash = ship(
        engineer=maya,
        author=bob,
        product=product,
        title="Crash when the SD card is full",
        kind="bug",
        voters=fans[:2],
    )
    talk = ship(
        engineer=maya, author=bob, product=product, title="Bigger buttons", kind="discussion"
    )
    create_post(author=alice, product=product, kind="idea", title="Still open")
    in_progress = create_post(author=alice, product=product, kind="idea", title="Working on it")
    change_status(by=maya, post=in_progress, status=Status.IN_PROGRESS)

    clock.move_to(FRIDAY_17)
    cut = cut_developer_build(product=product, at=timezone.now())

    assert cut.created
    build = cut.build
    assert build is not None
    assert (build.version, build.channel, build.week_number) == ("26.11.27", "developer", 1)
    assert build.cut_at == FRIDAY_17
    assert build.published_at is None  # a draft until published
    lines = {c.post_id: c for c in build.changes.all()}
    assert set(lines) == {mute.pk, crash.pk, talk.pk}
    assert (lines[mute.pk].kind, lines[mute.pk].text) == ("new", "Mute while recording")
    assert (lines[mute.pk].proposer, lines[mute.pk].voters_count) == (alice, 5)
    assert (lines[crash.pk].kind, lines[crash.pk].proposer, lines[crash.pk].voters_count) == (
        "fixed",
        bob,
        2,
    )
    assert lines[talk.pk].kind == "improved"
    # The most voted first.
    assert [c.post_id for c in build.changes.all()] == [mute.pk, crash.pk, talk.pk]


def test_cutting_again_for_the_same_friday_creates_nothing(clock, product, maya, alice):
    clock.move_to(local(2026, 11, 26, 12, 0))
    ship(engineer=maya, author=alice, product=product, title="Bookmarks")
    clock.move_to(FRIDAY_17)
    first = cut_developer_build(product=product, at=timezone.now())
    clock.move_to(local(2026, 11, 28, 9, 0))  # Saturday: still that Friday's build
    again = cut_developer_build(product=product, at=timezone.now())

    assert first.created and not again.created
    assert again.build == first.build
    assert "already cut" in again.reason
    assert Build.objects.count() == 1 and Change.objects.count() == 1


def test_a_post_shipped_after_17_00_waits_for_next_friday(clock, product, maya, alice, bob):
    clock.move_to(FRIDAY_17)
    on_time = ship(engineer=maya, author=alice, product=product, title="Shipped at 17:00 sharp")
    clock.move_to(local(2026, 11, 27, 17, 0, 0, 1))
    late = ship(engineer=maya, author=bob, product=product, title="Shipped a microsecond late")

    this_week = cut_developer_build(product=product, at=timezone.now()).build
    assert this_week is not None
    assert [c.post_id for c in this_week.changes.all()] == [on_time.pk]

    clock.move_to(local(2026, 12, 4, 17, 0))
    next_week = cut_developer_build(product=product, at=timezone.now()).build
    assert next_week is not None
    assert (next_week.version, next_week.week_number) == ("26.12.4", 2)
    assert [c.post_id for c in next_week.changes.all()] == [late.pk]


def test_a_post_reopened_and_shipped_again_is_in_the_next_build_again(clock, product, maya, alice):
    clock.move_to(local(2026, 11, 25, 10, 0))
    post = ship(engineer=maya, author=alice, product=product, title="Noise filter")
    clock.move_to(FRIDAY_17)
    cut_developer_build(product=product, at=timezone.now())
    clock.move_to(local(2026, 12, 1, 10, 0))
    change_status(by=maya, post=post, status=Status.IN_PROGRESS, note="It broke on Android 9")
    change_status(by=maya, post=post, status=Status.SHIPPED)
    clock.move_to(local(2026, 12, 4, 17, 0))

    build = cut_developer_build(product=product, at=timezone.now()).build

    assert build is not None
    assert [c.post_id for c in build.changes.all()] == [post.pk]


def test_a_post_shipped_long_ago_but_never_in_a_build_is_carried(clock, product, maya, alice):
    clock.move_to(local(2026, 6, 1, 10, 0))
    old = ship(engineer=maya, author=alice, product=product, title="From the old days")
    clock.move_to(FRIDAY_17)
    build = cut_developer_build(product=product, at=timezone.now()).build
    assert build is not None
    assert [c.post_id for c in build.changes.all()] == [old.pk]


def test_holiday_weeks_have_no_build(clock, product, maya, alice):
    Holiday.objects.create(product=product, date=date(2026, 12, 4), name="Company retreat")
    clock.move_to(FRIDAY_17)
    cut_developer_build(product=product, at=timezone.now())
    clock.move_to(local(2026, 12, 2, 10, 0))
    post = ship(engineer=maya, author=alice, product=product, title="Waveform zoom")

    clock.move_to(local(2026, 12, 4, 17, 0))
    holiday = cut_developer_build(product=product, at=timezone.now())
    assert not holiday.created
    assert "26.12.4 is a holiday" in holiday.reason
    assert not Build.objects.filter(version="26.12.4").exists()

    clock.move_to(local(2026, 12, 11, 17, 0))
    after = cut_developer_build(product=product, at=timezone.now()).build
    assert after is not None
    # Week 3: the skipped week still counts.
    assert (after.version, after.week_number) == ("26.12.11", 3)
    assert [c.post_id for c in after.changes.all()] == [post.pk]


def test_no_build_for_fridays_before_the_product_existed(clock, recorder):
    clock.move_to(local(2026, 11, 25, 10, 0))
    recorder.created_at = timezone.now()
    recorder.save()
    cut = cut_developer_build(product=recorder, at=timezone.now())
    assert cut.build is None and not cut.created
    assert Build.objects.count() == 0


def test_the_future_cannot_be_cut(clock, product):
    with pytest.raises(ValidationError) as error:
        cut_developer_build(product=product, at=local(2026, 11, 27, 17, 0))
    assert "at" in error.value.message_dict


def test_builds_go_forward(clock, product):
    clock.move_to(local(2026, 12, 4, 17, 0))
    cut_developer_build(product=product, at=timezone.now())
    with pytest.raises(ValidationError) as error:
        cut_developer_build(product=product, at=FRIDAY_17)
    assert "26.12.4" in error.value.message_dict["at"][0]


def test_the_product_time_zone_decides_the_friday(clock, product):
    product.time_zone = "America/New_York"
    product.save()
    # 17:00 in Shanghai is 04:00 in New York: no New York Friday cut yet.
    clock.move_to(FRIDAY_17)
    cut = cut_developer_build(product=product, at=timezone.now())
    assert cut.build is not None and cut.build.version == "26.11.20"
    clock.move_to(local(2026, 11, 27, 17, 0, zone="America/New_York"))
    cut = cut_developer_build(product=product, at=timezone.now())
    assert cut.build is not None and cut.build.version == "26.11.27"


def test_internal_builds_any_day_numbered_and_rolled_up_on_friday(clock, product, maya, alice):
    clock.move_to(local(2026, 11, 24, 10, 0))  # Tuesday
    first = ship(engineer=maya, author=alice, product=product, title="Faster export")
    tuesday = cut_internal_build(product=product, at=timezone.now(), by=maya)
    clock.move_to(local(2026, 11, 24, 15, 0))
    second = ship(engineer=maya, author=alice, product=product, title="Smaller files")
    tuesday_again = cut_internal_build(product=product, at=timezone.now(), by=maya)

    assert (tuesday.version, tuesday.channel) == ("26.11.24-internal.1", Channel.INTERNAL)
    assert tuesday_again.version == "26.11.24-internal.2"
    assert [c.post_id for c in tuesday.changes.all()] == [first.pk]
    assert [c.post_id for c in tuesday_again.changes.all()] == [second.pk]

    clock.move_to(FRIDAY_17)
    friday = cut_developer_build(product=product, at=timezone.now()).build
    assert friday is not None
    assert {c.post_id for c in friday.changes.all()} == {first.pk, second.pk}


def test_fans_cannot_cut_internal_builds(clock, product, alice):
    with pytest.raises(PermissionDenied):
        cut_internal_build(product=product, at=timezone.now(), by=alice)
