"""releases.sql on whichever database the tests run (CI: both)."""

import pytest
from django.db import connection

from orangefriday.board.actions import create_post
from orangefriday.notifications.following import set_following
from orangefriday.releases.sql import build_audience
from orangefriday.voting.models import Vote

pytestmark = pytest.mark.django_db


def test_the_audience_is_the_voters_and_active_followers_in_the_range(alice, bob, mo, recorder):
    shipped = create_post(author=alice, product=recorder, kind="idea", title="Mute")
    other = create_post(author=alice, product=recorder, kind="idea", title="Other")
    Vote.objects.create(post=shipped, fan=bob)
    Vote.objects.create(post=other, fan=mo)
    set_following(fan_id=mo.pk, post_id=shipped.pk, following=False)  # an unfollow
    statement, params = build_audience([shipped.pk])

    def rows(low: int, high: int) -> set[tuple[int, int]]:
        with connection.cursor() as cursor:
            cursor.execute(statement, {**params, "lo": low, "hi": high})
            return set(cursor.fetchall())

    everyone = rows(0, max(alice.pk, bob.pk, mo.pk))
    assert everyone == {(alice.pk, shipped.pk), (bob.pk, shipped.pk)}  # the author follows
    assert rows(bob.pk - 1, bob.pk) == {(bob.pk, shipped.pk)}
