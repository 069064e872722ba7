"""Sending the outbox through a real SMTP server, claims, retries and the follow-up run."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import escape
from django_tasks_db.models import DBTaskResult

from orangefriday.board.actions import create_post
from orangefriday.conftest import make_fan
from orangefriday.notifications.delivery import claim, lease, send_pending_emails
from orangefriday.notifications.emails import Email, queue_emails
from orangefriday.notifications.models import MAX_ATTEMPTS, EmailPreference, OutboxEmail
from orangefriday.notifications.tasks import deliver_outbox, schedule_follow_up
from orangefriday.voting.actions import cast_vote

from .conftest import make_build, tell_build

pytestmark = pytest.mark.django_db


def queue(fans) -> None:
    queue_emails(Email(f"test:{fan.pk}", fan.pk, f"Hello {fan.username}", "Body") for fan in fans)


def test_a_build_email_as_it_arrives_at_a_real_smtp_server(smtp_settings, alice, bob, recorder):
    posts = [
        create_post(author=alice, product=recorder, kind="idea", title=title)
        for title in ("Mute while recording", "Cloud backup", "Not for bob")
    ]
    cast_vote(fan=bob, post_id=posts[0].pk)
    cast_vote(fan=bob, post_id=posts[1].pk)
    build = make_build(recorder, "26.11.27", posts)
    tell_build(build)

    assert send_pending_emails() == 2  # alice and bob

    received = {r.to: r.message for r in smtp_settings.messages()}
    message = received[("bob@example.org",)]
    assert message["Subject"] == "2 posts you follow shipped in Sound Recorder 26.11.27"
    assert message["To"] == "bob@example.org"
    assert message.get_content_type() == "multipart/alternative"
    body = message.get_body(("plain",)).get_content()
    assert "• Mute while recording" in body and "• Cloud backup" in body
    assert "Not for bob" not in body
    assert f"/builds/{build.pk}/" in body
    unsubscribe = OutboxEmail.objects.get(fan=bob).unsubscribe_url
    assert f"Stop all these emails (one click, no login needed): <{unsubscribe}>" in body
    html = message.get_body(("html",)).get_content()
    assert f'<a href="{escape(unsubscribe)}"' in html and "• Mute while recording" in html
    # (A long header arrives folded onto its next line; readers unfold it.)
    assert message["List-Unsubscribe"].strip() == f"<{unsubscribe}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Message-ID"].startswith("<outbox.")
    assert not OutboxEmail.objects.filter(sent_at__isnull=True).exists()

    # The link from the email, followed by a mail client's one-click POST, logged out.
    link = urlsplit(message["List-Unsubscribe"].strip().strip("<>")).path
    response = Client().post(link, "List-Unsubscribe=One-Click", content_type="text/plain")
    assert response.status_code == 200
    assert EmailPreference.objects.get(fan=bob).updates is False


def test_sent_emails_are_not_sent_again(smtp_settings, alice, bob):
    queue([alice, bob])
    assert send_pending_emails() == 2
    assert send_pending_emails() == 0
    assert len(smtp_settings.messages()) == 2


def test_a_refused_recipient_waits_and_the_others_go_on(smtp_settings, alice, bob, mo):
    smtp_settings.recorder.refuse.add("bob@example.org")
    queue([alice, bob, mo])

    assert send_pending_emails() == 2

    assert sorted(r.to[0] for r in smtp_settings.messages()) == [
        "alice@example.org",
        "mo@example.org",
    ]
    bobs = OutboxEmail.objects.get(fan=bob)
    assert bobs.sent_at is None and bobs.attempts == 1
    assert "SMTPRecipientsRefused" in bobs.last_error
    assert bobs.claimed_until is not None and bobs.claimed_until > timezone.now()
    assert send_pending_emails() == 0  # it waits out its retry delay

    smtp_settings.recorder.refuse.clear()
    OutboxEmail.objects.filter(pk=bobs.pk).update(claimed_until=timezone.now())
    assert send_pending_emails() == 1


def test_an_email_that_keeps_failing_is_given_up(smtp_settings, bob):
    smtp_settings.recorder.refuse.add("bob@example.org")
    queue([bob])
    for _ in range(MAX_ATTEMPTS):
        OutboxEmail.objects.update(claimed_until=None)
        send_pending_emails()
    failed = OutboxEmail.objects.get()
    assert failed.attempts == MAX_ATTEMPTS and failed.sent_at is None
    assert not OutboxEmail.objects.pending().exists()
    assert OutboxEmail.objects.failed().count() == 1


def test_a_dead_smtp_server_costs_no_attempt_and_keeps_no_claim(settings, alice, bob):
    from orangefriday.core.testing.smtp import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    queue([alice, bob])
    with pytest.raises(OSError):
        send_pending_emails()
    assert list(OutboxEmail.objects.values_list("attempts", "claimed_by", "claimed_until")) == [
        (0, "", None),
        (0, "", None),
    ]


def test_claims_do_not_overlap_until_the_lease_runs_out(alice, bob, mo):
    # Two batches: within one batch the rows share their time and PostgreSQL may number
    # them in any order, so "oldest first" is checked across batches.
    queue([alice, bob])
    queue([mo])
    now = timezone.now()
    first = claim(worker="a", size=2, now=now)
    second = claim(worker="b", size=2, now=now)
    assert {e.fan for e in first} == {alice, bob}
    assert [e.fan for e in second] == [mo]
    assert claim(worker="c", size=2, now=now) == []

    later = now + lease() + timedelta(seconds=1)  # "a" and "b" died without sending
    again = [e.fan for e in claim(worker="c", size=5, now=later)]
    assert set(again[:2]) == {alice, bob} and again[2:] == [mo]


def test_a_run_that_lost_its_claim_does_not_send(smtp_settings, alice):
    from orangefriday.notifications.delivery import _still_mine

    queue([alice])
    now = timezone.now()
    (mine,) = claim(worker="slow", size=1, now=now)
    claim(worker="other", size=1, now=now + lease() + timedelta(seconds=1))
    assert _still_mine(mine, "slow") is False


def test_an_email_to_a_fan_who_unsubscribed_meanwhile_is_not_sent(smtp_settings, bob):
    from orangefriday.notifications.emails import set_update_emails

    queue([bob])
    set_update_emails(fan_id=bob.pk, on=False)
    assert send_pending_emails() == 0 and smtp_settings.messages() == []


def test_a_fan_without_an_address_is_skipped_not_retried(smtp_settings):
    nobody = make_fan("nobody")
    queue([nobody])
    type(nobody).objects.filter(pk=nobody.pk).update(email="")
    assert send_pending_emails() == 0
    assert not OutboxEmail.objects.pending().exists()


def test_each_run_leaves_a_follow_up_behind_while_emails_are_pending(alice):
    def follow_ups() -> list[DBTaskResult]:
        return list(DBTaskResult.objects.filter(task_path=deliver_outbox.module_path))

    schedule_follow_up()
    assert follow_ups() == []  # nothing pending, nothing to follow up

    OutboxEmail.objects.create(key="k", fan=alice, subject="s", body="b")
    schedule_follow_up()
    (follow_up,) = follow_ups()
    assert follow_up.run_after > timezone.now() + lease()

    schedule_follow_up()  # one waiting run is enough
    assert len(follow_ups()) == 1


def test_the_task_sends_the_outbox(smtp_settings, alice):
    queue([alice])
    assert deliver_outbox.call() == 1
    assert [r.to for r in smtp_settings.messages()] == [("alice@example.org",)]
