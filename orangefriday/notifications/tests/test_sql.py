"""Each statement of notifications.sql, on whichever database the tests run (CI: both)."""

import pytest
from django.db import connection, transaction
from django.utils import timezone

from orangefriday.board.actions import create_post
from orangefriday.notifications import sql
from orangefriday.notifications.emails import set_update_emails
from orangefriday.notifications.following import set_following
from orangefriday.notifications.models import Notification, OutboxEmail, Subscription
from orangefriday.notifications.preferences import muted, muted_between

pytestmark = pytest.mark.django_db


@pytest.fixture
def posts(alice, recorder):
    return [
        create_post(author=alice, product=recorder, kind="idea", title=title)
        for title in ("Mute while recording", "Cloud backup")
    ]


def test_a_subscription_is_written_once_and_an_unfollow_is_kept(bob, posts):
    post = posts[0]
    sql.insert_subscription(fan_id=bob.pk, post_id=post.pk, now=timezone.now())
    set_following(fan_id=bob.pk, post_id=post.pk, following=False)
    sql.insert_subscription(fan_id=bob.pk, post_id=post.pk, now=timezone.now())
    (row,) = Subscription.objects.filter(fan=bob, post=post)
    assert row.active is False


def test_the_outbox_skips_keys_it_has(bob):
    rows = [("k1", bob.pk, "Hi", "Body", "http://x/u"), ("k2", bob.pk, "Hi", "Body", "")]
    with transaction.atomic():
        sql.insert_outbox(rows, now=timezone.now())
        sql.insert_outbox([*rows, ("k3", bob.pk, "Hi", "Again", "")], now=timezone.now())
    assert sorted(OutboxEmail.objects.values_list("key", flat=True)) == ["k1", "k2", "k3"]


def followers_in_range() -> str:
    table = connection.ops.quote_name(Subscription._meta.db_table)
    return f"SELECT fan_id, post_id FROM {table} WHERE fan_id > %(lo)s AND fan_id <= %(hi)s"


def test_notifications_are_written_once_per_fan_and_build(bob, recorder, posts):
    from orangefriday.releases.models import Build

    build = Build.objects.create(
        product=recorder, channel="developer", version="26.11.27", version_date="2026-11-27"
    )
    row = (bob.pk, "shipped", build.pk, posts[0].pk, "“Mute while recording” shipped", "/b/", "en")
    with transaction.atomic():
        sql.insert_notifications([row], now=timezone.now())
        sql.insert_notifications(
            [row, (bob.pk, "status", None, None, "Other", "/p/", "en")], now=timezone.now()
        )
    assert sorted(Notification.objects.values_list("kind", "message")) == [
        ("shipped", "“Mute while recording” shipped"),
        ("status", "Other"),
    ]


def test_the_pairs_follow_the_audience_its_range_and_the_unfollows(alice, bob, mo, posts):
    mute, cloud = posts
    for post in posts:
        sql.insert_subscription(fan_id=bob.pk, post_id=post.pk, now=timezone.now())
    sql.insert_subscription(fan_id=mo.pk, post_id=cloud.pk, now=timezone.now())
    set_following(fan_id=alice.pk, post_id=mute.pk, following=False)
    set_update_emails(fan_id=mo.pk, on=False)
    everyone = {"lo": 0, "hi": max(alice.pk, bob.pk, mo.pk)}
    pairs = sql.audience_pairs(audience=followers_in_range(), params=everyone)
    assert pairs == sorted(
        [
            (alice.pk, cloud.pk, alice.email, ""),  # not mute: she unfollowed it
            (bob.pk, mute.pk, bob.email, ""),
            (bob.pk, cloud.pk, bob.email, ""),
            (mo.pk, cloud.pk, mo.email, ""),
        ]
    )
    only_bob = {"lo": bob.pk - 1, "hi": bob.pk}
    assert [
        pair[0] for pair in sql.audience_pairs(audience=followers_in_range(), params=only_bob)
    ] == [bob.pk, bob.pk]
    assert muted([alice.pk, bob.pk, mo.pk], "shipped").email == {mo.pk}
    assert muted_between(0, everyone["hi"], "shipped").email == {mo.pk}
    assert muted_between(mo.pk, mo.pk + 1, "shipped").email == set()  # mo is not above mo
