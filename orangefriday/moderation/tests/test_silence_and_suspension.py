"""Silence and suspension: what the fan can no longer do, the reason they see, their votes
leaving the counts and coming back when the silence ends (the clock moved), and the log."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from orangefriday.board.actions import create_post
from orangefriday.board.models import Post
from orangefriday.core.testing import PASSWORD
from orangefriday.moderation.actions import (
    count_votes_after_silences,
    lift_silence,
    silence,
    suspend,
)
from orangefriday.moderation.models import LogEntry
from orangefriday.voting.actions import cast_vote
from orangefriday.voting.models import Vote

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_a_silenced_fans_votes_stop_counting_and_come_back_when_it_ends(
    clock, alice, bob, mo, recorder, api_as
):
    post = create_post(author=alice, product=recorder, kind="idea", title="Mute calls")
    cast_vote(fan=bob, post_id=post.pk)
    cast_vote(fan=mo, post_id=post.pk)
    silence(by=mo, fan=bob, until=NOW + timedelta(days=3), reason="vote ring")
    assert Post.objects.get(pk=post.pk).votes_count == 1  # only mo's counts
    assert Vote.objects.filter(post=post).count() == 2  # bob's vote is kept

    refused = api_as(bob).put(f"/posts/{post.pk}/vote")
    assert refused.status_code == 403 and "vote ring" in refused.json()["detail"]
    refused = api_as(bob).post("/posts", {"product": recorder.slug, "title": "Hello"})
    assert refused.status_code == 403 and "silenced until" in refused.json()["detail"]
    assert api_as(bob).delete(f"/posts/{post.pk}/vote").status_code == 403
    assert api_as(bob).get("/me").json()["silence_reason"] == "vote ring"

    clock.shift(timedelta(days=3, minutes=1))
    assert count_votes_after_silences() == 1
    assert Post.objects.get(pk=post.pk).votes_count == 2
    assert count_votes_after_silences() == 0  # idempotent
    assert api_as(bob).put(f"/posts/{post.pk}/vote").status_code == 200


def test_the_post_form_tells_a_silenced_fan_why(clock, bob, mo, recorder, logged_in):
    silence(by=mo, fan=bob, until=NOW + timedelta(days=1), reason="spam links")
    page = logged_in(bob).post(
        f"/p/{recorder.slug}/new/", {"kind": "idea", "title": "Still here", "body": "x"}
    )
    assert page.status_code == 400
    assert "You are silenced until" in page.content.decode()
    assert "spam links" in page.content.decode()
    lift_silence(by=mo, fan=bob)
    page = logged_in(bob).post(
        f"/p/{recorder.slug}/new/", {"kind": "idea", "title": "Still here", "body": "x"}
    )
    assert page.status_code == 302
    actions = list(LogEntry.objects.order_by("created_at", "pk").values_list("action", "moderator"))
    assert actions == [("silence", mo.pk), ("unsilence", mo.pk)]


def test_a_suspended_fan_cannot_log_in_and_sees_why(clock, bob, mo, api_as):
    session = Client()
    session.force_login(bob)
    api = api_as(bob)
    suspend(by=mo, fan=bob, until=NOW + timedelta(days=7), reason="abuse")
    # Their open session and their token stop working.
    assert session.get("/accounts/settings/").status_code == 302
    assert api.get("/me").status_code == 401
    page = Client().post("/accounts/login/", {"username": "bob", "password": PASSWORD})
    assert page.status_code == 200
    assert "This account is suspended until" in page.content.decode()
    assert "abuse" in page.content.decode()
    clock.shift(timedelta(days=7, minutes=1))
    assert (
        Client().post("/accounts/login/", {"username": "bob", "password": PASSWORD}).status_code
        == 302
    )


def test_only_moderators_silence_and_moderators_are_not_silenced(maya, bob, mo):
    with pytest.raises(PermissionDenied):
        silence(by=maya, fan=bob, until=NOW + timedelta(days=1), reason="no")
    with pytest.raises(PermissionDenied):
        silence(by=mo, fan=mo, until=NOW + timedelta(days=1), reason="no")


@pytest.mark.parametrize("until", [0, 1_900_000_000, True])
def test_a_silence_until_a_number_is_refused_naming_the_field(api_as, bob, mo, until):
    """A moment is an ISO 8601 string: a number once passed as seconds since 1970."""
    answer = api_as(mo).put("/fans/bob/silence", {"until": until, "reason": "spam"})
    assert answer.status_code == 422, answer.content
    assert "until" in answer.content.decode()
    bob.refresh_from_db()
    assert not bob.is_silenced


def test_a_silence_until_an_iso_moment_is_taken(api_as, bob, mo):
    until = (timezone.now() + timedelta(days=2)).isoformat()
    answer = api_as(mo).put("/fans/bob/silence", {"until": until, "reason": "spam"})
    assert answer.status_code == 200, answer.content
    bob.refresh_from_db()
    assert bob.is_silenced
