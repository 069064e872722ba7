"""Signing up, logging in and out, resetting a password, and the profile page."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from orangefriday.accounts.models import User
from orangefriday.board.actions import create_post
from orangefriday.core.testing import PASSWORD
from orangefriday.voting.actions import cast_vote

pytestmark = pytest.mark.django_db


SIGN_UP = {
    "username": "xiaoming",
    "email": "xm@example.org",
    "password1": "orange-friday-2010",
    "password2": "orange-friday-2010",
}


def verification_path() -> str:
    found = re.search(r"http://\S+(/accounts/verify/\S+/)", str(mail.outbox[-1].body))
    assert found is not None
    return found.group(1)


def test_a_visitor_signs_up_confirms_the_address_and_is_logged_in(client):
    response = client.post("/accounts/signup/", SIGN_UP)
    assert "Check your inbox" in response.content.decode()
    fan = User.objects.get(username="xiaoming")
    assert fan.role == "fan" and fan.email_verified_at is None
    assert mail.outbox[-1].to == ["xm@example.org"]

    # The link asks for one click (a mail scanner's visit confirms nothing)...
    path = verification_path()
    client.get(path)
    fan.refresh_from_db()
    assert fan.email_verified_at is None
    # ...which confirms the address and logs the fan in.
    response = client.post(path, follow=True)
    assert response.context["user"].username == "xiaoming"
    fan.refresh_from_db()
    assert fan.email_verified_at is not None


def test_an_expired_or_forged_link_confirms_nothing(client):
    client.post("/accounts/signup/", SIGN_UP)
    path = verification_path()
    with time_machine.travel(timezone.now() + timedelta(days=4)):
        response = client.post(path)
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert client.post(path[:-3] + "xx/").status_code == 400
    assert User.objects.get(username="xiaoming").email_verified_at is None


def test_signing_up_with_a_registered_address_looks_the_same_and_tells_its_owner(client, alice):
    response = client.post("/accounts/signup/", {**SIGN_UP, "email": alice.email.upper()})
    assert "Check your inbox" in response.content.decode()
    assert "already" not in response.content.decode()
    assert not User.objects.filter(username="xiaoming").exists()
    assert mail.outbox[-1].to == [alice.email]
    assert "already has one" in str(mail.outbox[-1].body)


def test_sign_up_errors_are_shown_on_the_form_and_nothing_is_stored(client, alice):
    response = client.post(
        "/accounts/signup/",
        {"username": "", "email": "not an address", "password1": "a", "password2": "b"},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "username" in form.errors and "email" in form.errors
    assert User.objects.count() == 1


def test_a_signed_in_fan_changes_the_password(logged_in, alice):
    client = logged_in(alice)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-brand-new-secret",
            "new_password2": "a-brand-new-secret",
        },
        follow=True,
    )
    assert "Password changed" in response.content.decode()
    assert response.context["user"] == alice  # still logged in here
    alice.refresh_from_db()
    assert alice.check_password("a-brand-new-secret")


def test_a_wrong_old_password_changes_nothing(logged_in, alice):
    response = logged_in(alice).post(
        "/accounts/password/",
        {"old_password": "nope", "new_password1": "x-y-z-secret", "new_password2": "x-y-z-secret"},
    )
    assert "old_password" in response.context["form"].errors
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_log_in_and_out(client, alice):
    response = client.post(
        "/accounts/login/", {"username": "alice", "password": PASSWORD}, follow=True
    )
    assert response.context["user"] == alice
    response = client.post("/accounts/logout/", follow=True)
    assert not response.context["user"].is_authenticated


def test_a_wrong_password_is_refused_with_a_message(client, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_password_reset_by_email(client, alice):
    client.post("/accounts/password-reset/", {"email": alice.email})
    assert len(mail.outbox) == 1
    found = re.search(r"http://\S+/accounts/reset/\S+/", str(mail.outbox[0].body))
    assert found is not None
    link = found.group(0)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    set_password_url = form_page.redirect_chain[-1][0]
    client.post(
        set_password_url,
        {"new_password1": "a-brand-new-secret", "new_password2": "a-brand-new-secret"},
    )
    alice.refresh_from_db()
    assert alice.check_password("a-brand-new-secret")


def test_the_profile_lists_the_fans_posts_and_votes(client, alice, bob, recorder):
    idea = create_post(author=alice, product=recorder, kind="idea", title="Cloud upload")
    bobs = create_post(author=bob, product=recorder, kind="bug", title="Recording stops")
    cast_vote(fan=alice, post_id=bobs.pk)
    page = client.get("/accounts/fans/alice/").content.decode()
    assert idea.title in page
    assert bobs.title in page  # under "Voted for"
    assert "1 post" in page and "1 vote" in page


def test_an_unknown_profile_is_404(client):
    assert client.get("/accounts/fans/nobody/").status_code == 404
