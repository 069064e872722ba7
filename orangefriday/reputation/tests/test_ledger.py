"""The points ledger: what earns and costs points, once per thing, written by consumers
after commit; totals and medals kept, and rebuilt from the rows to the same figures."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from orangefriday.accounts.models import User
from orangefriday.board.actions import add_comment, change_status, create_post
from orangefriday.conftest import make_fan
from orangefriday.core.events import dispatch, record
from orangefriday.core.models import Event
from orangefriday.feedback.actions import file_report, rate_build
from orangefriday.releases.issues import mark_known_issue
from orangefriday.reputation import consumers
from orangefriday.reputation.models import Entry, Medal, Total
from orangefriday.reputation.queries import fan_points
from orangefriday.voting.actions import cast_vote, withdraw_vote

pytestmark = pytest.mark.django_db


def points(fan: User, product=None) -> int:
    row = Total.objects.filter(fan=fan, product=product).first()
    return row.points if row else 0


def test_ideas_shipped_by_a_team_earn_their_author_points_and_a_medal(build, alice, product):
    dispatch()
    # Three of alice's ideas shipped into 26.11.27 (by maya, not by alice).
    assert points(alice) == 150
    assert points(alice, product) == 150
    assert Entry.objects.filter(fan=alice, reason="idea_shipped").count() == 3
    assert set(Medal.objects.filter(fan=alice).values_list("code", flat=True)) == {"first_adopted"}
    standing = fan_points(alice)
    assert standing.level.name == "Enthusiast"  # 100 to 299
    assert standing.recent[0].url.startswith("/posts/")


def test_an_engineer_shipping_their_own_idea_earns_nothing(product, maya):
    post = create_post(author=maya, product=product, kind="idea", title="My own idea")
    change_status(by=maya, post=post, status="shipped")
    dispatch()
    assert points(maya) == 0


def test_posting_commenting_and_voting_earn_nothing(product, alice, bob):
    post = create_post(author=alice, product=product, kind="idea", title="Stereo recording")
    add_comment(author=bob, post=post, body="Yes please")
    cast_vote(fan=bob, post_id=post.pk)
    cast_vote(fan=alice, post_id=post.pk)
    dispatch()
    assert Entry.objects.count() == 0


def test_a_post_earns_at_each_vote_milestone_once(product, alice, settings):
    settings.VOTE_MILESTONES = [3, 5]
    post = create_post(author=alice, product=product, kind="idea", title="Stereo recording")
    voters = [make_fan(f"voter{i}") for i in range(5)]
    for voter in voters[:3]:
        cast_vote(fan=voter, post_id=post.pk)
    # Dropping under the milestone and reaching it again earns nothing more.
    withdraw_vote(fan=voters[0], post_id=post.pk)
    cast_vote(fan=voters[0], post_id=post.pk)
    dispatch()
    assert points(alice) == 5
    for voter in voters[3:]:
        cast_vote(fan=voter, post_id=post.pk)
    dispatch()
    assert points(alice) == 10
    assert Event.objects.filter(kind="post.votes_reached").count() == 3


def test_a_report_and_a_rating_earn_once_per_build(build, changes, bob, wish, product):
    dispatch()
    for mood in ("happy", "sad"):  # the second one changes the first
        file_report(
            fan=bob,
            build=build,
            mood=mood,
            loved=changes[0].pk,
            least_effective=changes[1].pk,
            wanted_post=wish.pk,
        )
    rate_build(fan=bob, build=build, stability=8)
    rate_build(fan=bob, build=build, stability=9)
    dispatch()
    reasons = sorted(Entry.objects.filter(fan=bob).values_list("reason", flat=True))
    assert reasons == ["rating_given", "report_filed"]
    assert points(bob, product) == 5 + 2


def test_a_bug_confirmed_as_a_known_issue_earns_once(build, bob, maya, product):
    bug = create_post(author=bob, product=product, kind="bug", title="Crash on pause")
    mark_known_issue(by=maya, build=build, post=bug)
    dispatch()
    assert points(bob) == 15


def moderation_event(kind: str, subject, **payload) -> None:
    """The moderation app's events, as its brief names them (its producer lands later)."""
    with transaction.atomic():
        record(kind, subject=subject, actor=None, **payload)
    dispatch()


def test_moderators_removing_content_and_silencing_cost_points(product, alice, mo):
    post = create_post(author=alice, product=product, kind="idea", title="Spam")
    comment = add_comment(author=alice, post=post, body="More spam")
    moderation_event("content.hidden", post, author_id=alice.pk, reason="spam", by="moderator")
    moderation_event("content.deleted", post, author_id=alice.pk, reason="spam", by="moderator")
    moderation_event("content.hidden", comment, author_id=alice.pk, reason="x", by="moderator")
    # What the author hides themselves costs nothing.
    other = create_post(author=alice, product=product, kind="idea", title="Oops")
    moderation_event("content.hidden", other, author_id=alice.pk, reason="", by="author")
    moderation_event("fan.silenced", alice, until="2026-12-01T00:00:00Z", reason="spam")
    assert points(alice, product) == -20 - 5
    assert points(alice) == -20 - 5 - 40
    assert fan_points(alice).level.number == 1


def test_flags_upheld_and_rejected_and_featured_posts(product, alice, bob, mo):
    post = create_post(author=alice, product=product, kind="idea", title="Great idea")
    moderation_event("post.featured", post)
    # A flag's subject is moderation's Flag; any row stands in for it here.
    moderation_event("flag.upheld", post, author_id=alice.pk, flagger_id=bob.pk, post_id=post.pk)
    other_flag = add_comment(author=bob, post=post, body="another row for a second flag")
    moderation_event("flag.rejected", other_flag, author_id=alice.pk, flagger_id=mo.pk)
    assert points(alice) == 20
    assert points(bob, product) == 5
    assert points(mo) == -5


def test_a_consumer_run_twice_on_one_event_writes_one_row(build, alice):
    """A killed worker's event handed over again (or replayed by hand) repeats nothing."""
    dispatch()
    event = Event.objects.filter(kind="post.status_changed", payload__to_status="shipped").first()
    assert event is not None
    before = Entry.objects.count()
    with transaction.atomic():
        consumers.idea_shipped(event)
    assert Entry.objects.count() == before
    assert points(alice) == 150


def totals() -> set[tuple[int, int | None, int]]:
    return set(Total.objects.values_list("fan_id", "product_id", "points"))


def test_rebuild_gives_the_same_totals_and_repairs_wrong_ones(build, alice, bob, product):
    dispatch()
    kept = totals()
    medals = sorted(Medal.objects.values_list("fan_id", "code", "awarded_at"))
    out = StringIO()
    call_command("rebuild_reputation", stdout=out)
    assert "0 differed" in out.getvalue()
    assert totals() == kept
    assert sorted(Medal.objects.values_list("fan_id", "code", "awarded_at")) == medals

    Total.objects.filter(fan=alice).update(points=1)
    Medal.objects.all().delete()
    out = StringIO()
    call_command("rebuild_reputation", stdout=out)
    assert "2 differed" in out.getvalue()
    assert totals() == kept
    assert sorted(Medal.objects.values_list("fan_id", "code", "awarded_at")) == medals


def test_rebuild_keeps_site_wide_rows_in_the_site_total(build, alice, product):
    """A silence's row belongs to no product: the rebuilt site total still counts it once,
    beside the product rows (found on the demo once moderation silenced a fan)."""
    dispatch()
    moderation_event("fan.silenced", alice, until="2026-12-01T00:00:00Z", reason="spam")
    kept = totals()
    assert (alice.pk, None, 150 - 40) in kept
    out = StringIO()
    call_command("rebuild_reputation", stdout=out)
    assert "0 differed" in out.getvalue()
    assert totals() == kept
