"""A post or comment that moderators hid costs its author points; restored, the points
come back (a ledger row, from content.restored), and hidden again it costs again, never
twice at once. `rebuild_reputation` gives the same totals from the rows."""

from io import StringIO

import pytest
from django.core.management import call_command

from orangefriday.board.actions import add_comment, create_post
from orangefriday.conftest import make_fan
from orangefriday.core.events import dispatch
from orangefriday.moderation.actions import decide, flag_item, restore
from orangefriday.moderation.models import Review
from orangefriday.reputation.models import Entry, Total

pytestmark = pytest.mark.django_db


def points(fan, product=None) -> int:
    row = Total.objects.filter(fan=fan, product=product).first()
    return row.points if row else 0


def hide(by, post, comment=None) -> None:
    """Hidden through the queue, as moderators do: a flag, then the decision."""
    flagger = make_fan(f"flagger{Review.objects.count()}")
    flag_item(flagger=flagger, post=post, comment=comment, reason="spam")
    review = Review.objects.get(post=post, comment=comment, state=Review.State.OPEN)
    decide(by=by, review=review, decision="hide", reason="looked like spam")


def rebuilt_totals_are_the_same() -> bool:
    kept = set(Total.objects.values_list("fan_id", "product_id", "points"))
    call_command("rebuild_reputation", stdout=StringIO())
    return set(Total.objects.values_list("fan_id", "product_id", "points")) == kept


def test_a_restored_post_regains_its_points_and_hidden_again_loses_them_once(
    recorder, alice, mo, settings
):
    post = create_post(author=alice, product=recorder, kind="idea", title="Wrongly hidden")
    hide(mo, post)
    dispatch()
    assert points(alice) == points(alice, recorder) == -20
    settings.REPUTATION_POINTS = {**settings.REPUTATION_POINTS, "post_removed": -35}
    post.refresh_from_db()
    restore(by=mo, post=post)
    dispatch()
    # Exactly what the hiding cost comes back, whatever the setting says now.
    assert points(alice) == points(alice, recorder) == 0
    back = Entry.objects.get(fan=alice, reason="post_restored")
    assert back.points == 20 and back.url == post.get_absolute_url()
    assert rebuilt_totals_are_the_same()

    hide(mo, post)
    dispatch()
    assert points(alice) == -35
    assert rebuilt_totals_are_the_same()


def test_a_restored_comment_regains_its_points(recorder, alice, bob, mo):
    post = create_post(author=bob, product=recorder, kind="idea", title="A good idea")
    comment = add_comment(author=alice, post=post, body="A reply moderators misread")
    hide(mo, post, comment)
    dispatch()
    assert points(alice) == -5
    comment.refresh_from_db()
    restore(by=mo, post=post, comment=comment)
    dispatch()
    assert points(alice) == 0
    assert Entry.objects.get(fan=alice, reason="comment_restored").points == 5
    assert rebuilt_totals_are_the_same()
