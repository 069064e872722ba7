"""Every action that changes what fans see records its event, with its actor: a week from
the first post to the Popcorn Award, read back from the event log."""

import pytest

from orangefriday.board.actions import add_comment, change_status, create_post
from orangefriday.core.models import Event
from orangefriday.feedback.actions import file_report, give_popcorn_award, rate_build
from orangefriday.releases.issues import mark_known_issue, unmark_known_issue
from orangefriday.releases.stable import (
    halt_rollout,
    promote_to_stable,
    resume_rollout,
    set_rollout,
)
from orangefriday.voting.actions import cast_vote, merge_posts

from .conftest import CLOSES

pytestmark = pytest.mark.django_db


def kinds_since(mark: int) -> list[tuple[str, int | None]]:
    events = Event.objects.filter(pk__gt=mark).order_by("pk")
    return list(events.values_list("kind", "actor_id"))


def last_id() -> int:
    event = Event.objects.order_by("-pk").first()
    return event.pk if event else 0


def test_the_week_of_a_build_reads_back_from_the_event_log(
    clock, build, changes, wish, maya, alice, bob
):
    # The fixtures posted, claimed, shipped, cut and published, and posted a wish.
    kinds = [kind for kind, _ in kinds_since(0)]
    assert kinds.count("post.created") == 5  # three ideas, the announcement, the wish
    assert kinds.count("claim.made") == 3
    assert kinds.count("post.status_changed") == 6  # in progress, then shipped, each
    published = kinds.index("build.published")
    assert kinds[published - 1] == "post.created"  # its announcement, in its transaction

    mark = last_id()
    comment = add_comment(author=bob, post=wish, body="Yes please")
    cast_vote(fan=alice, post_id=wish.pk)  # a vote is not an event: counts say it
    file_report(  # before the wish was planned: only open posts are wanted
        fan=bob,
        build=build,
        mood="love_it",
        loved=changes[0].pk,
        least_effective=changes[1].pk,
        wanted_post=wish.pk,
    )
    change_status(by=maya, post=wish, status="planned", note="Next month.")
    dup = create_post(author=alice, product=wish.product, kind="idea", title="Transcripts")
    merge_posts(by=maya, duplicate=dup, original=wish)
    bug = create_post(author=bob, product=wish.product, kind="bug", title="Crash on start")
    mark_known_issue(by=maya, build=build, post=bug)
    unmark_known_issue(by=maya, build=build, post=bug)
    rate_build(fan=bob, build=build, stability=8)
    stable = promote_to_stable(by=maya, build=build)
    set_rollout(by=maya, build=stable, percent=10)
    halt_rollout(by=maya, build=stable)
    resume_rollout(by=maya, build=stable)
    clock.move_to(CLOSES)
    give_popcorn_award(build=build)

    assert kinds_since(mark) == [
        ("comment.added", bob.pk),
        ("report.filed", bob.pk),
        ("post.status_changed", maya.pk),
        ("post.created", alice.pk),
        ("post.merged", maya.pk),
        ("post.created", bob.pk),
        ("known_issue.listed", maya.pk),
        ("known_issue.removed", maya.pk),
        ("rating.given", bob.pk),
        ("build.promoted", maya.pk),
        ("rollout.changed", maya.pk),
        ("rollout.halted", maya.pk),
        ("rollout.resumed", maya.pk),
        ("award.given", None),
    ]
    added = Event.objects.get(kind="comment.added")
    assert (added.subject_type, added.subject_id) == ("board.comment", comment.pk)
    assert added.payload["post_id"] == wish.pk
