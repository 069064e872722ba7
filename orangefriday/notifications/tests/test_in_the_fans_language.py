"""Each fan is told in their own language (README "Languages and time"): the bell's line and
the email, whoever's action caused them and whatever the worker's language; the page marks
a line worded in another language than its own."""

import pytest
from django.utils import translation

from orangefriday.board.actions import change_status, create_post
from orangefriday.core.events import dispatch
from orangefriday.notifications.models import Notification, OutboxEmail
from orangefriday.voting.actions import cast_vote

pytestmark = pytest.mark.django_db


def test_a_status_change_is_told_in_each_followers_language(alice, bob, maya, recorder, logged_in):
    bob.language = "zh-hans"
    bob.save(update_fields=["language"])
    idea = create_post(author=alice, product=recorder, kind="idea", title="Mute while recording")
    cast_vote(fan=bob, post_id=idea.pk)
    with translation.override("en"):  # the engineer's page, and the dispatcher, in English
        change_status(by=maya, post=idea, status="planned", note="Soon.")
        dispatch()

    told = {n.fan.username: n for n in Notification.objects.filter(post=idea)}
    assert told["alice"].message == "“Mute while recording” is now planned"
    assert told["bob"].message == "“Mute while recording”现在的状态是已计划"
    emails = {e.fan.username: e.subject for e in OutboxEmail.objects.select_related("fan")}
    assert emails == {
        "alice": "“Mute while recording” is now planned",
        "bob": "“Mute while recording”现在的状态是已计划",
    }
    # Alice's English line on a Chinese page says it is English.
    page = logged_in(alice).get("/notifications/", headers={"accept-language": "zh-Hans"})
    assert '<span lang="en">“Mute while recording” is now planned</span>' in page.content.decode()
