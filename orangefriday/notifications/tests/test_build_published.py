"""A published build tells each voter and follower once, listing all their shipped posts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from orangefriday.accounts.models import User
from orangefriday.board.actions import create_post
from orangefriday.conftest import make_fan
from orangefriday.core.models import Handling
from orangefriday.notifications.emails import set_update_emails
from orangefriday.notifications.following import set_following
from orangefriday.notifications.models import Notification, OutboxEmail
from orangefriday.voting.actions import cast_vote
from orangefriday.voting.models import Vote

from .conftest import make_build, tell_build

pytestmark = pytest.mark.django_db


@pytest.fixture
def posts(alice, recorder):
    titles = ["Mute while recording", "Cloud backup", "Bigger record button"]
    return [create_post(author=alice, product=recorder, kind="idea", title=t) for t in titles]


def inbox(username: str) -> list[OutboxEmail]:
    return list(OutboxEmail.objects.filter(fan__username=username))


def test_each_fan_is_told_once_with_all_of_their_shipped_posts(alice, bob, mo, recorder, posts):
    mute, cloud, button = posts
    for post in (mute, cloud):
        cast_vote(fan=bob, post_id=post.pk)
    cast_vote(fan=mo, post_id=button.pk)
    build = make_build(recorder, "26.11.27", posts)

    told = tell_build(build)

    assert told == 3  # alice (author of all three), bob, mo
    by_fan = {n.fan.username: n for n in Notification.objects.select_related("fan")}
    assert set(by_fan) == {"alice", "bob", "mo"}
    assert by_fan["alice"].message == "3 posts you follow shipped in 26.11.27"
    assert by_fan["bob"].message == "2 posts you follow shipped in 26.11.27"
    assert by_fan["mo"].message == "“Bigger record button” shipped in 26.11.27"
    assert {n.kind for n in by_fan.values()} == {"shipped"}
    assert {n.build_id for n in by_fan.values()} == {build.pk}

    (bob_email,) = inbox("bob")
    assert bob_email.key == f"build:{build.pk}:fan:{bob.pk}"
    assert bob_email.subject == "2 posts you follow shipped in Sound Recorder 26.11.27"
    assert "• Mute while recording" in bob_email.body and "• Cloud backup" in bob_email.body
    assert "Bigger record button" not in bob_email.body
    assert f"/posts/{mute.pk}/" in bob_email.body and f"/posts/{cloud.pk}/" in bob_email.body
    assert f"/builds/{build.pk}/" in bob_email.body  # the release notes
    assert bob_email.unsubscribe_url in bob_email.body
    (mo_email,) = inbox("mo")
    assert mo_email.subject == "Shipped in Sound Recorder 26.11.27: Bigger record button"
    assert len(inbox("alice")) == 1


def test_publishing_twice_tells_nobody_twice(bob, recorder, posts):
    cast_vote(fan=bob, post_id=posts[0].pk)
    build = make_build(recorder, "26.11.27", posts)
    assert tell_build(build) == 2

    assert tell_build(build) == 0

    assert Notification.objects.filter(build=build).count() == 2
    assert OutboxEmail.objects.count() == 2


def test_a_second_build_is_a_new_message(bob, recorder, posts):
    cast_vote(fan=bob, post_id=posts[0].pk)
    tell_build(make_build(recorder, "26.11.27", posts[:1]))
    tell_build(make_build(recorder, "26.12.4", posts[1:]))
    assert Notification.objects.filter(fan=bob).count() == 1  # bob voted in the first only
    assert Notification.objects.filter(fan__username="alice").count() == 2


def test_a_voter_who_unfollowed_a_post_is_not_told_about_it(bob, recorder, posts):
    mute, cloud, _ = posts
    cast_vote(fan=bob, post_id=mute.pk)
    cast_vote(fan=bob, post_id=cloud.pk)
    set_following(fan_id=bob.pk, post_id=mute.pk, following=False)

    tell_build(make_build(recorder, "26.11.27", posts))

    assert Notification.objects.get(fan=bob).message == "“Cloud backup” shipped in 26.11.27"
    assert "Mute while recording" not in inbox("bob")[0].body


def test_voters_without_a_subscription_row_are_told_too(recorder, posts):
    """Votes loaded in bulk (the demo, benchmarks, merged duplicates) subscribe nobody."""
    lurker = make_fan("lurker")
    Vote.objects.create(fan=lurker, post=posts[1])
    tell_build(make_build(recorder, "26.11.27", posts))
    assert Notification.objects.filter(fan=lurker).count() == 1


def test_a_fan_who_turned_emails_off_is_told_in_app_only(bob, recorder, posts):
    cast_vote(fan=bob, post_id=posts[0].pk)
    set_update_emails(fan_id=bob.pk, on=False)
    tell_build(make_build(recorder, "26.11.27", posts))
    assert Notification.objects.filter(fan=bob).exists()
    assert inbox("bob") == []


def test_deactivated_fans_and_fans_without_an_address_get_no_email(bob, mo, recorder, posts):
    cast_vote(fan=bob, post_id=posts[0].pk)
    cast_vote(fan=mo, post_id=posts[0].pk)
    User.objects.filter(pk=bob.pk).update(is_active=False)
    User.objects.filter(pk=mo.pk).update(email="")
    tell_build(make_build(recorder, "26.11.27", posts))
    assert not Notification.objects.filter(fan=bob).exists()
    assert Notification.objects.filter(fan=mo).exists() and inbox("mo") == []


def test_a_build_without_posts_tells_nobody(recorder):
    assert tell_build(make_build(recorder, "26.11.27", [])) == 0


def test_the_queries_do_not_grow_with_the_fans(settings, recorder, posts):
    """Chunks of fans, never a query per fan: 300 fans in ranges of 100 ids cost what four
    chunks cost, and each chunk is its own step of the consumer."""
    settings.FANOUT_CHUNK_FANS = 100
    fans = User.objects.bulk_create(
        User(username=f"fan{i}", email=f"fan{i}@example.org", email_verified_at=timezone.now())
        for i in range(300)
    )
    Vote.objects.bulk_create(
        Vote(fan=fan, post=post) for i, fan in enumerate(fans) for post in posts[: 1 + i % 3]
    )
    build = make_build(recorder, "26.11.27", posts)

    with CaptureQueriesContext(connection) as queries:
        told = tell_build(build)

    assert told == 301  # and alice
    assert Notification.objects.filter(build=build).count() == 301
    assert OutboxEmail.objects.count() == 301
    # Four chunks of 100 fan ids (301 fans), each a fixed handful of statements, and a fixed
    # part that no fan changes: the dispatcher and the later apps' consumers of the events
    # (about 11 statements on SQLite, 31 on PostgreSQL, with its savepoints).
    assert len(queries) <= 4 * 25 + 40, "\n".join(q["sql"][:150] for q in queries.captured_queries)
    handling = Handling.objects.get(consumer="releases.tell_voters_and_followers")
    assert handling.done and handling.cursor is None
    # Fans whose rows straddle two fetched batches still get one message with all posts.
    counts = {n.fan.username: n.message for n in Notification.objects.select_related("fan")}
    assert counts["fan2"] == "3 posts you follow shipped in 26.11.27"
    assert counts["fan3"] == "“Mute while recording” shipped in 26.11.27"
