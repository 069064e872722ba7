"""The Popcorn Award: given by the worker once a build's window has closed, to the team that
claimed the most loved change; ties, idempotence, and the next week's announcement."""

from datetime import timedelta

import pytest
from django.utils import timezone

from orangefriday.board.actions import create_post
from orangefriday.conftest import make_fan
from orangefriday.core import schedule
from orangefriday.feedback.actions import file_report, give_due_awards, give_popcorn_award
from orangefriday.feedback.models import Award
from orangefriday.feedback.tasks import give_popcorn_awards
from orangefriday.releases.cuts import cut_and_publish_due_builds
from orangefriday.releases.models import Build
from orangefriday.releases.publishing import edit_notes

from .conftest import CLOSES, just_before, local

pytestmark = pytest.mark.django_db


def votes(build, changes, wish, ballots):
    """`ballots`: (loved index, least effective index) per fan."""
    for number, (loved, least) in enumerate(ballots):
        file_report(
            fan=make_fan(f"voter{number}"),
            build=build,
            mood="happy",
            loved=changes[loved].pk,
            least_effective=changes[least].pk,
            wanted_post=wish.pk,
        )


def test_the_most_loved_change_wins_for_the_team_that_claimed_it(
    clock, build, changes, wish, rockets
):
    votes(build, changes, wish, [(1, 0), (1, 2), (0, 2)])
    clock.move_to(just_before(CLOSES))
    assert give_popcorn_award(build=build) is None  # the window is still open

    clock.move_to(CLOSES)
    award = give_popcorn_award(build=build)
    assert award is not None
    assert (award.change, award.team, award.post) == (changes[1], rockets, changes[1].post)
    assert (award.loved_count, award.least_effective_count, award.reports_count) == (2, 0, 3)


def test_a_tie_goes_to_fewer_least_effective_votes(clock, build, changes, wish):
    votes(build, changes, wish, [(0, 1), (1, 2), (2, 0), (0, 1), (1, 2), (2, 1)])
    # Loved: each twice. Least effective: change 0 once, change 1 three times, change 2 twice.
    clock.move_to(CLOSES)
    award = give_popcorn_award(build=build)
    assert award is not None and award.change == changes[0]


def test_then_to_the_change_shipped_earlier(clock, build, changes, wish):
    votes(build, changes, wish, [(2, 0), (1, 0), (1, 2), (2, 1)])
    # Changes 1 and 2: loved twice, least effective once each; 1 shipped first.
    clock.move_to(CLOSES)
    award = give_popcorn_award(build=build)
    assert award is not None and award.change == changes[1]


def test_no_reports_no_award_and_giving_it_twice_gives_it_once(clock, build, changes, wish):
    clock.move_to(CLOSES)
    assert give_popcorn_award(build=build) is None
    assert give_due_awards() == []
    Award.objects.all().delete()
    clock.move_to(just_before(CLOSES) - timedelta(hours=1))
    votes(build, changes, wish, [(0, 1)])
    clock.move_to(CLOSES + timedelta(minutes=1))
    first = give_due_awards()
    assert len(first) == 1
    assert give_due_awards() == []
    assert give_popcorn_award(build=build) == first[0]
    assert Award.objects.count() == 1


def test_the_scheduler_enqueues_the_task_each_minute_and_the_worker_gives_the_award(
    clock, build, changes, wish
):
    jobs = {job.name: job for job in schedule.jobs()}
    assert jobs["give popcorn awards"].run == give_popcorn_awards.enqueue
    assert jobs["give popcorn awards"].every == 60
    votes(build, changes, wish, [(2, 0)])
    clock.move_to(CLOSES + timedelta(seconds=30))
    assert give_popcorn_awards.call() == [f"26.11.27: {changes[2].text}"]
    assert Award.objects.get().change == changes[2]


def test_the_next_weeks_announcement_carries_the_award(clock, build, changes, wish, maya):
    votes(build, changes, wish, [(0, 1), (0, 2)])
    clock.move_to(CLOSES)
    give_due_awards()
    award = Award.objects.get()
    assert award.announced_in is None  # the next build is not out yet

    ship_title = "Bookmarks while recording"
    post = create_post(author=maya, product=build.product, kind="idea", title=ship_title)
    from orangefriday.board.actions import change_status

    change_status(by=maya, post=post, status="shipped")
    clock.move_to(local(2026, 12, 4, 17, 0))
    edit = "Thanks for testing."
    (following,) = cut_and_publish_due_builds(now=timezone.now())
    edit_notes(by=maya, build=following, intro=edit)
    give_due_awards()
    give_due_awards()  # once only

    award.refresh_from_db()
    assert award.announced_in == following
    announcement = Build.objects.get(pk=following.pk).announcement
    assert announcement is not None and announcement.pinned
    assert announcement.body.count("Popcorn Award") == 1
    assert "team [Rockets]" in announcement.body
    assert changes[0].text in announcement.body
    assert edit in announcement.body
    # The engineers' later edits keep it: it is part of the notes' intro.
    following.refresh_from_db()
    edit_notes(by=maya, build=following, intro=following.notes_intro + " More soon.")
    announcement.refresh_from_db()
    assert "Popcorn Award" in announcement.body and "More soon." in announcement.body
