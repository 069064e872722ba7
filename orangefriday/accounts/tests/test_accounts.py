"""Signing up, logging in and out, resetting a password, and the profile page."""

import re

import pytest
from django.core import mail

from orangefriday.accounts.models import User
from orangefriday.board.actions import create_post
from orangefriday.core.testing import PASSWORD
from orangefriday.voting.actions import cast_vote

pytestmark = pytest.mark.django_db


def test_a_visitor_signs_up_and_is_logged_in(client):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "xiaoming",
            "email": "xm@example.org",
            "password1": "orange-friday-2010",
            "password2": "orange-friday-2010",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert User.objects.get(username="xiaoming").role == "fan"
    assert response.context["user"].username == "xiaoming"


def test_sign_up_errors_are_shown_on_the_form_and_nothing_is_stored(client, alice):
    response = client.post(
        "/accounts/signup/",
        {"username": "", "email": alice.email, "password1": "a", "password2": "b"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "username" in form.errors
    assert "already exists" in form.errors["email"][0]
    assert User.objects.count() == 1


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
