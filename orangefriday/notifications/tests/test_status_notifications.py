"""Followers hear about status changes and official responses, in-app and by email."""

import pytest

from orangefriday.board.actions import add_comment, change_status, create_post
from orangefriday.core.events import dispatch
from orangefriday.notifications.emails import set_update_emails
from orangefriday.notifications.models import Notification, OutboxEmail
from orangefriday.voting.actions import cast_vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def idea(alice, recorder):
    return create_post(author=alice, product=recorder, kind="idea", title="Mute while recording")


def test_a_status_change_tells_followers_but_not_the_engineer_who_made_it(alice, bob, maya, idea):
    cast_vote(fan=bob, post_id=idea.pk)
    add_comment(author=maya, post=idea, body="Looking into it")  # maya follows too
    dispatch()  # (her official answer is told of on its own: test_conversation)
    Notification.objects.all().delete()
    OutboxEmail.objects.all().delete()

    change_status(by=maya, post=idea, status="planned", note="In the next two weeks.")
    dispatch()

    told = Notification.objects.filter(post=idea)
    assert sorted(told.values_list("fan__username", flat=True)) == ["alice", "bob"]
    assert {n.message for n in told} == {"“Mute while recording” is now planned"}
    assert {n.url for n in told} == {idea.get_absolute_url()}
    emails = {e.fan.username: e for e in OutboxEmail.objects.select_related("fan")}
    assert set(emails) == {"alice", "bob"}
    bob_email = emails["bob"]
    assert bob_email.subject == "“Mute while recording” is now planned"
    assert "In the next two weeks." in bob_email.body
    assert idea.get_absolute_url() in bob_email.body
    # Every email about a followed post carries bob's own unsubscribe link.
    assert (
        bob_email.unsubscribe_url.startswith("http")
        and "/unsubscribe/" in bob_email.unsubscribe_url
    )
    assert bob_email.unsubscribe_url in bob_email.body
    assert bob_email.unsubscribe_url != emails["alice"].unsubscribe_url


def test_an_official_response_without_a_change_is_its_own_kind(alice, maya, idea):
    change_status(by=maya, post=idea, status="open", note="We read every comment.")
    dispatch()
    notification = Notification.objects.get(fan=alice)
    assert notification.kind == "response"
    assert notification.message == "An official response on “Mute while recording”"


def test_a_fan_who_turned_emails_off_still_sees_the_bell(alice, bob, maya, idea, logged_in):
    cast_vote(fan=bob, post_id=idea.pk)
    set_update_emails(fan_id=bob.pk, on=False)

    change_status(by=maya, post=idea, status="in_progress")
    dispatch()

    assert Notification.objects.filter(fan=bob).count() == 1
    assert list(OutboxEmail.objects.values_list("fan__username", flat=True)) == ["alice"]
    bell = logged_in(bob).get("/").content.decode()
    assert 'data-testid="unread-count">1<' in bell


def test_a_delivery_task_is_queued_with_the_emails(alice, maya, idea):
    from django_tasks_db.models import DBTaskResult

    change_status(by=maya, post=idea, status="planned")
    dispatch()
    assert DBTaskResult.objects.filter(task_path__endswith="deliver_outbox").count() == 1
