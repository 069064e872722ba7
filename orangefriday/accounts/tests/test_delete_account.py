"""Deleting one's account: the password again; personal data erased; posts and comments kept
as "a former fan" or removed, the fan's choice; votes kept as counts; the username retired;
all of it or nothing."""

import html
import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from orangefriday.accounts import erasure
from orangefriday.accounts.actions import create_api_token, delete_account, update_profile
from orangefriday.accounts.models import User
from orangefriday.board.actions import add_comment, create_post
from orangefriday.board.models import Comment, Post
from orangefriday.core.events import dispatch
from orangefriday.core.testing import PASSWORD
from orangefriday.notifications.models import Notification, Subscription
from orangefriday.voting.actions import cast_vote

pytestmark = pytest.mark.django_db

DELETE = "/accounts/settings/delete/"


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGBA", (40, 40), "orange").save(buffer, "PNG")
    return SimpleUploadedFile("me.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def alices(alice, bob, recorder):
    """alice has a name, a picture, a token, a post bob voted for and replied to, and a
    comment on bob's post."""
    update_profile(fan=alice, display_name="Alice Liddell", avatar=png())
    create_api_token(user=alice, name="script")
    post = create_post(author=alice, product=recorder, kind="idea", title="Mute while recording")
    theirs = create_post(author=bob, product=recorder, kind="idea", title="Louder playback")
    comment = add_comment(author=alice, post=theirs, body="Yes, louder")
    cast_vote(fan=bob, post_id=post.pk)
    add_comment(author=bob, post=post, body="Please")
    dispatch()
    alice.refresh_from_db()
    return {"post": post, "comment": comment, "avatar": alice.avatar.path}


def leave(client, content="keep", password=PASSWORD):
    return client.post(DELETE, {"content": content, "password": password})


def test_kept_posts_and_comments_are_signed_a_former_fan_and_personal_data_is_gone(
    logged_in, client, alice, alices, django_capture_on_commit_callbacks
):
    fan = logged_in(alice)
    other_session = logged_in(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = leave(fan)

    assert response.status_code == 302
    gone = User.objects.get(pk=alice.pk)
    assert gone.username == f"former-fan-{alice.pk}" and gone.deleted_at is not None
    assert (gone.email, gone.display_name, gone.first_name, gone.bio) == ("", "", "", "")
    assert not gone.avatar and not os.path.exists(alices["avatar"])
    assert not gone.has_usable_password() and not gone.is_active
    assert not gone.api_tokens.exists()
    assert not Subscription.objects.filter(fan=gone).exists()
    assert not Notification.objects.filter(fan=gone).exists()

    post = Post.objects.get(pk=alices["post"].pk)
    assert post.visibility == "visible" and post.votes_count == 1  # bob's vote still counts
    page = client.get(f"/posts/{post.pk}/").content.decode()
    assert "a former fan" in page and "Alice Liddell" not in page and "Mute while recording" in page
    assert "Yes, louder" in client.get(f"/posts/{alices['comment'].post_id}/").content.decode()
    assert client.get("/accounts/fans/alice/").status_code == 404
    # Every session of hers has ended, and her password opens nothing.
    assert other_session.get("/accounts/settings/").status_code == 302
    assert not Client().login(username="alice", password=PASSWORD)


def test_removed_posts_and_comments_leave_tombstones(logged_in, client, alice, alices):
    leave(logged_in(alice), content="remove")

    assert Post.objects.get(pk=alices["post"].pk).visibility == "deleted"
    assert Comment.objects.get(pk=alices["comment"].pk).visibility == "deleted"
    theirs = client.get(f"/posts/{alices['comment'].post_id}/").content.decode()
    assert "Deleted by its author." in theirs and "Yes, louder" not in theirs


def test_a_wrong_password_deletes_nothing(logged_in, alice, alices):
    response = leave(logged_in(alice), password="not-it")

    assert response.status_code == 400
    assert "That is not your password." in html.unescape(response.content.decode())
    alice.refresh_from_db()
    assert alice.is_active and alice.email == "alice@example.org" and alice.avatar


def test_the_username_is_retired(logged_in, alice, client):
    leave(logged_in(alice))

    response = client.post(
        "/accounts/signup/",
        {
            "username": "ALICE",
            "email": "new@example.org",
            "password1": "a-long-new-passphrase",
            "password2": "a-long-new-passphrase",
        },
    )

    assert response.status_code == 400
    assert "A user with that username already exists." in response.content.decode()
    assert not User.objects.filter(email="new@example.org").exists()


def test_nothing_is_half_done_when_one_part_fails(alice, alices, monkeypatch):
    def refuse(fan: User, keep_content: bool) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setitem(erasure._erasers, "zz_failing", refuse)

    with pytest.raises(RuntimeError):
        delete_account(fan=alice, password=PASSWORD, keep_content=False)

    alice.refresh_from_db()
    assert alice.is_active and alice.username == "alice" and alice.api_tokens.exists()
    assert Post.objects.get(pk=alices["post"].pk).visibility == "visible"
    assert Subscription.objects.filter(fan=alice).exists()
    assert os.path.exists(alices["avatar"])


def test_the_api_deletes_with_the_same_rules(alice, alices, api_as):
    api = api_as(alice)

    wrong = api.request("DELETE", "/me", {"password": "nope", "content": "keep"})
    assert wrong.status_code == 422 and "password" in wrong.content.decode()

    response = api.request("DELETE", "/me", {"password": PASSWORD, "content": "remove"})
    assert response.status_code == 204
    assert Post.objects.get(pk=alices["post"].pk).visibility == "deleted"
    assert api.get("/me").status_code == 401  # its token went with it
