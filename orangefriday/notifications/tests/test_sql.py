"""Each statement of notifications.sql, on whichever database the tests run (CI: both)."""

import pytest
from django.db import connection, transaction
from django.utils import timezone

from orangefriday.board.actions import create_post
from orangefriday.notifications import sql
from orangefriday.notifications.emails import set_update_emails
from orangefriday.notifications.following import set_following
from orangefriday.notifications.models import Notification, OutboxEmail, Subscription

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


def test_grouped_notifications_and_email_pairs_follow_the_audience(alice, bob, mo, posts):
    mute, cloud = posts
    for post in posts:
        sql.insert_subscription(fan_id=bob.pk, post_id=post.pk, now=timezone.now())
    sql.insert_subscription(fan_id=mo.pk, post_id=cloud.pk, now=timezone.now())
    set_update_emails(fan_id=mo.pk, on=False)
    params = {"lo": 0, "hi": max(alice.pk, bob.pk, mo.pk)}
    written = sql.insert_grouped_notifications(
        audience=followers_in_range(),
        params=params,
        kind="shipped",
        build_id=None,
        url="/builds/1/",
        before_title="“",
        after_title="” shipped",
        after_count=" posts shipped",
        now=timezone.now(),
    )
    assert written == 3  # alice (author of both), bob, mo
    messages = dict(Notification.objects.values_list("fan__username", "message"))
    assert messages == {
        "alice": "2 posts shipped",
        "bob": "2 posts shipped",
        "mo": "“Cloud backup” shipped",
    }
    pairs = dict(sql.email_pairs(audience=followers_in_range(), params=params))
    assert pairs == {alice.pk: sorted([mute.pk, cloud.pk]), bob.pk: sorted([mute.pk, cloud.pk])}
    only_bob = {"lo": bob.pk - 1, "hi": bob.pk}
    assert list(sql.email_pairs(audience=followers_in_range(), params=only_bob)) == [
        (bob.pk, sorted([mute.pk, cloud.pk]))
    ]
