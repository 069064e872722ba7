"""Changing one's e-mail address: the password again, a link to the new address, the change
only when it is opened (once, before it expires), a notice to the old address, and never a
word on whether another account has the new one."""

import html
import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from orangefriday.conftest import make_fan
from orangefriday.core.testing import PASSWORD

pytestmark = pytest.mark.django_db

CHANGE = "/accounts/settings/email/"


def link_in(message) -> str:
    found = re.search(r"https?://[^/\s]+(/accounts/email/[^\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


def ask(client, email="alice@new.example", password=PASSWORD):
    return client.post(CHANGE, {"email": email, "password": password})


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def test_the_address_changes_only_when_the_link_sent_to_it_is_opened(
    logged_in, alice, client, django_capture_on_commit_callbacks
):
    fan = logged_in(alice)
    response = ask(fan)

    assert response.status_code == 302
    followed = page_text(fan.get("/accounts/settings/"))
    assert "We sent a link to alice@new.example: your address changes when you open it." in (
        followed
    )
    (sent,) = mail.outbox
    assert sent.to == ["alice@new.example"]
    alice.refresh_from_db()
    assert alice.email == "alice@example.org"  # nothing changes yet

    url = link_in(sent)
    opened = client.get(url)  # a mail scanner's visit changes nothing
    assert opened.status_code == 200 and "Make it my address" in opened.content.decode()
    alice.refresh_from_db()
    assert alice.email == "alice@example.org"

    with django_capture_on_commit_callbacks(execute=True):  # the notice goes after commit
        confirmed = client.post(url)
    assert confirmed.status_code == 302
    alice.refresh_from_db()
    assert alice.email == "alice@new.example" and alice.email_verified_at is not None
    notice = mail.outbox[-1]
    assert notice.to == ["alice@example.org"]
    assert "is now alice@new.example" in notice.body

    again = client.post(url)  # the link works once
    assert again.status_code == 400
    assert "used already" in page_text(again)


def test_a_wrong_password_changes_nothing_and_says_so_on_the_field(logged_in, alice):
    response = ask(logged_in(alice), password="not-it")

    assert response.status_code == 400
    assert "That is not your password." in page_text(response)
    assert mail.outbox == []


def test_an_address_another_fan_has_gets_the_same_answer_and_its_owner_is_told(
    logged_in, alice, bob
):
    fan = logged_in(alice)
    response = ask(fan, email="BOB@example.org")

    assert response.status_code == 302
    assert "We sent a link to BOB@example.org" in page_text(fan.get("/accounts/settings/"))
    (sent,) = mail.outbox
    assert sent.to == ["BOB@example.org"]
    assert "already has one" in sent.body and "/accounts/email/" not in sent.body
    alice.refresh_from_db()
    assert alice.email == "alice@example.org"


def test_an_address_taken_after_the_link_was_sent_is_refused(logged_in, alice, client):
    ask(logged_in(alice), email="carol@example.org")
    make_fan("carol")  # signs up with it meanwhile

    response = client.post(link_in(mail.outbox[0]))

    assert response.status_code == 400
    assert "in use by another account" in page_text(response)
    alice.refresh_from_db()
    assert alice.email == "alice@example.org"


def test_an_expired_or_cut_link_is_refused(logged_in, alice, client, settings):
    ask(logged_in(alice))
    url = link_in(mail.outbox[0])

    assert "not one we sent" in page_text(client.post(url[:-8] + "/"))
    later = timezone.now() + timedelta(seconds=settings.EMAIL_VERIFICATION_MAX_AGE + 60)
    with time_machine.travel(later):
        response = client.post(url)
    assert response.status_code == 400 and "expired" in page_text(response)
    alice.refresh_from_db()
    assert alice.email == "alice@example.org"


@pytest.mark.parametrize(
    ("email", "message"),
    [("not an address", "Enter a valid e-mail address."), ("ALICE@example.org", "already your")],
)
def test_a_bad_new_address_is_refused_on_the_field(logged_in, alice, email, message):
    response = ask(logged_in(alice), email=email)

    assert response.status_code == 400
    assert message in page_text(response)
    assert mail.outbox == []


def test_links_are_limited_like_the_other_emails(logged_in, alice, rate_limits):
    fan = logged_in(alice)
    for n in range(3):
        assert ask(fan, email=f"alice{n}@new.example").status_code == 302

    response = ask(fan, email="alice9@new.example")

    assert response.status_code == 429
    assert "We sent several links already" in page_text(response)
    assert len(mail.outbox) == 3


def test_the_api_sends_the_link_with_the_same_rules(alice, bob, api_as):
    api = api_as(alice)

    wrong = api.post("/me/email", {"email": "alice@new.example", "password": "nope"})
    assert wrong.status_code == 422 and "password" in wrong.content.decode()
    assert mail.outbox == []

    sent = api.post("/me/email", {"email": "alice@new.example", "password": PASSWORD})
    assert sent.status_code == 202
    assert "alice@new.example" in sent.json()["detail"]
    assert mail.outbox[0].to == ["alice@new.example"]

    taken = api.post("/me/email", {"email": "bob@example.org", "password": PASSWORD})
    assert taken.status_code == 202  # the same answer: nothing says bob has it
    assert "already has one" in mail.outbox[1].body
