"""Four-grid reports: one per fan and build, editable while the window is open, refused with a
clear message (and nothing stored) once it has closed, on the product's clock whatever the
server's."""

import pytest
from django.core.exceptions import ValidationError

from orangefriday.board.models import Post, Status
from orangefriday.core.errors import Conflict
from orangefriday.feedback.actions import file_report
from orangefriday.feedback.models import Report
from orangefriday.releases.cuts import cut_internal_build
from orangefriday.releases.models import Change
from orangefriday.releases.publishing import publish_build

from .conftest import CLOSES, just_before, local

pytestmark = pytest.mark.django_db


def report(fan, build, changes, wish, **overrides):
    values = {
        "mood": "love_it",
        "loved": changes[0].pk,
        "least_effective": changes[1].pk,
        "wanted_post": wish.pk if wish else None,
    }
    values.update(overrides)
    return file_report(fan=fan, build=build, **values)


def test_a_fan_files_a_report_and_changes_it_while_the_window_is_open(
    clock, build, changes, wish, alice
):
    first = report(alice, build, changes, wish, mood="happy")
    clock.move_to(local(2026, 11, 30, 20, 0))
    second = report(alice, build, changes, wish, loved=changes[2].pk)
    assert first.pk == second.pk
    stored = Report.objects.get(fan=alice, build=build)
    assert (stored.mood, stored.loved_id, stored.least_effective_id) == (
        "love_it",
        changes[2].pk,
        changes[1].pk,
    )
    assert stored.updated_at == local(2026, 11, 30, 20, 0) > stored.created_at


# The server's clock on UTC and on UTC+14 (releases' server_clock fixture).
@pytest.mark.usefixtures("server_clock")
@pytest.mark.parametrize("zone", ["Asia/Shanghai", "Pacific/Kiritimati", "America/New_York"])
def test_tuesday_23_59_59_999999_is_in_wednesday_00_00_is_out(
    zone, clock, product, build, changes, wish, alice, bob
):
    product.time_zone = zone
    product.save(update_fields=["time_zone"])
    build.published_at = local(2026, 11, 27, 17, 0, zone=zone)
    build.save(update_fields=["published_at"])
    build.refresh_from_db()
    wednesday = local(2026, 12, 2, 0, 0, zone=zone)

    clock.move_to(just_before(wednesday))
    report(alice, build, changes, wish)

    clock.move_to(wednesday)
    with pytest.raises(Conflict) as refused:
        report(bob, build, changes, wish)
    message = refused.value.message_dict["build"][0]
    assert f"closed on Tue 1 Dec at 24:00 ({zone})" in message
    with pytest.raises(Conflict):
        report(alice, build, changes, wish, mood="sad")
    assert list(Report.objects.values_list("fan__username", "mood")) == [("alice", "love_it")]


def test_after_the_window_a_new_idea_is_not_posted_either(clock, build, changes, alice):
    clock.move_to(CLOSES)
    with pytest.raises(Conflict):
        report(alice, build, changes, None, wanted_post=None, wanted_text="Dark mode")
    assert not Post.objects.filter(title="Dark mode").exists()


def test_the_two_changes_must_be_the_builds_and_differ(clock, build, changes, wish, alice, maya):
    with pytest.raises(ValidationError) as same:
        report(alice, build, changes, wish, least_effective=changes[0].pk)
    assert "least_effective" in same.value.message_dict

    other = cut_internal_build(product=build.product, at=local(2026, 11, 27, 17, 0), by=maya)
    elsewhere = Change.objects.create(build=other, kind="new", text="Somewhere else")
    with pytest.raises(ValidationError) as foreign:
        report(alice, build, changes, wish, loved=elsewhere.pk, least_effective=999_999)
    assert set(foreign.value.message_dict) == {"loved", "least_effective"}
    assert not Report.objects.exists()


def test_the_most_wanted_is_an_open_post_of_the_product_or_a_new_idea(
    clock, build, changes, wish, alice, bob, maya, camera
):
    from orangefriday.board.actions import change_status, create_post

    elsewhere = create_post(author=bob, product=camera, kind="idea", title="Night mode")
    declined = create_post(author=bob, product=build.product, kind="idea", title="Ads")
    change_status(by=maya, post=declined, status=Status.DECLINED)
    for post in (elsewhere, declined, build.announcement):
        with pytest.raises(ValidationError) as error:
            report(alice, build, changes, wish, wanted_post=post.pk)
        assert "wanted_post" in error.value.message_dict
    with pytest.raises(ValidationError) as neither:
        report(alice, build, changes, wish, wanted_post=None)
    assert "wanted_post" in neither.value.message_dict
    with pytest.raises(ValidationError) as both:
        report(alice, build, changes, wish, wanted_text="Dark mode")
    assert "wanted_text" in both.value.message_dict

    filed = report(alice, build, changes, wish, wanted_post=None, wanted_text="  Dark   mode ")
    idea = filed.wanted
    assert (idea.title, idea.kind, idea.author, idea.product) == (
        "Dark mode",
        "idea",
        alice,
        build.product,
    )


def test_reports_are_for_published_developer_builds(
    clock, product, build, changes, wish, alice, maya
):
    internal = cut_internal_build(product=product, at=local(2026, 11, 27, 17, 0), by=maya)
    publish_build(by=maya, build=internal)
    with pytest.raises(ValidationError) as error:
        report(alice, internal, changes, wish)
    assert "build" in error.value.message_dict


def test_an_unknown_mood_is_refused(clock, build, changes, wish, alice):
    with pytest.raises(ValidationError) as error:
        report(alice, build, changes, wish, mood="meh")
    assert "mood" in error.value.message_dict
