"""Flags stay exact under real concurrency (threads with their own database connections):
every fan flagging twice at once counts once, the item's weight is the sum of its flags, and
the item is hidden once, by the flag that crossed the threshold."""

from functools import partial

import pytest
from django.db import connection
from django.utils import timezone

from orangefriday.accounts.models import TrustLevel, User
from orangefriday.board.actions import create_post
from orangefriday.core.errors import Conflict
from orangefriday.core.models import Event
from orangefriday.core.testing.concurrency import run_concurrently
from orangefriday.moderation.actions import flag_item
from orangefriday.moderation.models import Action, Flag, LogEntry, Review

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def test_fans_flagging_twice_at_once_count_once_and_hide_it_once(alice, recorder):
    fans_count, threads = (40, 40) if connection.vendor == "postgresql" else (50, 50)
    fans = User.objects.bulk_create(
        User(
            username=f"flagger{i:02d}",
            email_verified_at=timezone.now(),
            trust_level=TrustLevel.BASIC,
        )
        for i in range(fans_count)
    )
    post = create_post(author=alice, product=recorder, kind="idea", title="Buy followers here")
    calls = [partial(flag_item, flagger=fan, post=post, reason="spam") for fan in fans] * 2

    errors = run_concurrently(calls, threads)

    # The only refusals: a fan's second flag, or a flag arriving once the item was hidden.
    assert all(isinstance(e, Conflict) for e in errors), errors
    flags = Flag.objects.filter(post=post)
    (review,) = Review.objects.filter(post=post)
    assert review.weight == pytest.approx(sum(f.weight for f in flags))
    assert flags.values("flagger").distinct().count() == flags.count() >= 3
    assert LogEntry.objects.filter(action=Action.AUTO_HIDE, post=post).count() == 1
    assert Event.objects.filter(kind="content.hidden", subject_id=post.pk).count() == 1
    post.refresh_from_db()
    assert post.visibility == "hidden"
