"""The link in every email turns those emails off, without logging in."""

from urllib.parse import urlsplit

import pytest
from django.test import Client

from orangefriday.board.actions import change_status, create_post
from orangefriday.core.events import dispatch
from orangefriday.notifications.models import EmailPreference, Notification, OutboxEmail
from orangefriday.notifications.queries import unsubscribe_token
from orangefriday.voting.actions import cast_vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def bobs_email(alice, bob, maya, recorder) -> OutboxEmail:
    idea = create_post(author=alice, product=recorder, kind="idea", title="Mute while recording")
    cast_vote(fan=bob, post_id=idea.pk)
    change_status(by=maya, post=idea, status="planned")
    dispatch()
    return OutboxEmail.objects.get(fan=bob)


def path_of(url: str) -> str:
    return urlsplit(url).path


def emails_on(fan) -> bool:
    return not EmailPreference.objects.filter(fan=fan, updates=False).exists()


def test_the_link_asks_first_and_unsubscribes_on_confirmation_while_logged_out(bob, bobs_email):
    visitor = Client(enforce_csrf_checks=True)
    link = path_of(bobs_email.unsubscribe_url)

    page = visitor.get(link)
    assert page.status_code == 200
    assert "Stop emails about the posts you follow?" in page.content.decode()
    assert emails_on(bob), "opening the link (or a link scanner fetching it) changes nothing"

    done = visitor.post(link)
    assert done.status_code == 200
    assert 'data-testid="unsubscribed"' in done.content.decode()
    assert not emails_on(bob)
    # The email still waiting in the outbox is dropped: nothing arrives after the click.
    assert not OutboxEmail.objects.filter(fan=bob).exists()


def test_one_click_unsubscribe_from_the_mail_client(bob, bobs_email):
    """RFC 8058: the mail client POSTs List-Unsubscribe=One-Click, with no cookie or token."""
    response = Client(enforce_csrf_checks=True).post(
        path_of(bobs_email.unsubscribe_url),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not emails_on(bob)


def test_after_unsubscribing_the_bell_still_rings_but_no_email_is_queued(
    alice, bob, maya, bobs_email
):
    Client().post(path_of(bobs_email.unsubscribe_url))
    post = bobs_email.fan.subscriptions.get().post
    change_status(by=maya, post=post, status="in_progress")
    dispatch()
    assert Notification.objects.filter(fan=bob).count() == 2
    assert list(
        OutboxEmail.objects.filter(sent_at__isnull=True).values_list("fan_id", flat=True)
    ) == [
        alice.pk,
        alice.pk,
    ]


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # signature changed
        lambda token: "1" + token,  # another fan's id with this fan's signature
        lambda token: token.split(":")[0],  # no signature at all
        lambda token: "not-a-token",
    ],
)
def test_a_tampered_link_is_refused_with_a_clear_page(bob, mangle):
    token = mangle(unsubscribe_token(bob.pk))
    for method in ("get", "post"):
        response = getattr(Client(), method)(f"/unsubscribe/{token}/")
        assert response.status_code == 400
        assert "This unsubscribe link is not valid" in response.content.decode()
    assert emails_on(bob)


def test_the_link_of_a_deleted_account_does_no_harm(db):
    response = Client().post(f"/unsubscribe/{unsubscribe_token(999999)}/")
    assert response.status_code == 200 and not EmailPreference.objects.exists()


def test_a_token_signed_for_something_else_is_refused(bob):
    from django.core import signing

    other = signing.Signer(salt="something.else").sign(str(bob.pk))
    assert Client().post(f"/unsubscribe/{other}/").status_code == 400
    assert emails_on(bob)


def test_the_fan_turns_emails_back_on_from_the_notifications_page(logged_in, bob, bobs_email):
    Client().post(path_of(bobs_email.unsubscribe_url))
    client = logged_in(bob)
    assert "You get no emails" in client.get("/notifications/").content.decode()
    client.post("/notifications/email/", {"on": "1"})
    assert emails_on(bob)
    assert "We email you when" in client.get("/notifications/").content.decode()
    client.post("/notifications/email/", {"on": "0"})
    assert not emails_on(bob)
