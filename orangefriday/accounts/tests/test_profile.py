"""A fan's display name and avatar: set on the settings page or by the API, and shown
wherever the fan's name is, with the @username kept where it identifies them."""

import html
import io
import os
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from orangefriday.accounts.actions import update_profile
from orangefriday.accounts.models import User
from orangefriday.board.actions import add_comment, create_post
from orangefriday.core.events import dispatch
from orangefriday.moderation.actions import silence
from orangefriday.notifications.models import Notification, OutboxEmail

pytestmark = pytest.mark.django_db


def picture(
    size=(600, 400), fmt="JPEG", colour="orange", name="me.jpg", mode="RGB"
) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new(mode, size, colour).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def stored(fan: User) -> str:
    """The path of the fan's avatar file on disk."""
    fan.refresh_from_db()
    return fan.avatar.path


@pytest.fixture
def idea(alice, recorder):
    return create_post(author=alice, product=recorder, kind="idea", title="Mute while recording")


# The display name


def test_a_display_name_is_shown_on_posts_comments_and_the_profile(client, alice, bob, idea):
    update_profile(fan=alice, display_name="  Alice  Liddell ")
    add_comment(author=alice, post=idea, body="Interviews need it")

    alice.refresh_from_db()
    assert alice.display_name == "Alice Liddell"  # cleaned like every name
    board = client.get("/p/sound-recorder/").content.decode()
    assert "Alice Liddell" in board
    post = client.get(f"/posts/{idea.pk}/").content.decode()
    assert post.count("Alice Liddell") >= 2  # the post's author and the comment's
    assert 'href="/accounts/fans/alice/"' in post  # the profile's address keeps the username
    profile = client.get("/accounts/fans/alice/").content.decode()
    assert '<h1><span translate="no">Alice Liddell</span>' in profile and "@alice" in profile
    assert "Alice Liddell" not in client.get("/accounts/fans/bob/").content.decode()


def test_without_a_display_name_the_username_is_shown(client, alice, idea):
    update_profile(fan=alice, display_name="Alice")
    update_profile(fan=alice, display_name="")

    post = client.get(f"/posts/{idea.pk}/").content.decode()
    assert '<span translate="no">alice</span></a>' in post


def test_a_chinese_display_name_is_kept(client, alice, idea):
    update_profile(fan=alice, display_name="李\u202e记者")  # a bidi override is removed

    alice.refresh_from_db()
    assert alice.display_name == "李记者"
    assert "李记者" in client.get(f"/posts/{idea.pk}/").content.decode()


def test_notifications_and_emails_name_the_fan_by_their_display_name(alice, bob, idea):
    update_profile(fan=bob, display_name="Bobby Tables")
    add_comment(author=bob, post=idea, body="Yes please")
    dispatch()

    notification = Notification.objects.get(fan=alice)
    assert notification.message == "Bobby Tables replied on your post “Mute while recording”"
    assert OutboxEmail.objects.get(fan=alice).subject == notification.message


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("\u200b\u200b", "Write something a reader can see"),
        ("x" * 51, "at most 50 characters"),
        ("BOB", "another fan's username"),
    ],
)
def test_a_bad_display_name_is_refused_on_the_field_and_nothing_changes(
    logged_in, alice, bob, name, message
):
    response = logged_in(alice).post("/accounts/settings/profile/", {"display_name": name})

    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    alice.refresh_from_db()
    assert alice.display_name == ""


def test_the_settings_page_saves_the_display_name(logged_in, alice):
    client = logged_in(alice)
    response = client.post("/accounts/settings/profile/", {"display_name": "爱丽丝"}, follow=True)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Your profile is saved." in page
    assert 'value="爱丽丝"' in page  # the form shows what is saved
    alice.refresh_from_db()
    assert alice.display_name == "爱丽丝"


def test_a_silenced_fan_cannot_change_what_others_see(alice, mo, api_as):
    silence(by=mo, fan=alice, until=timezone.now() + timedelta(days=1), reason="spam")

    response = api_as(alice).patch("/me", {"display_name": "Totally official"})

    assert response.status_code == 403
    assert "silenced" in response.json()["detail"]
    alice.refresh_from_db()
    assert alice.display_name == ""


def test_profile_changes_are_limited(logged_in, alice, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "profile": "2/minute"}
    settings.REDIS_URL = settings.CACHE_URL = ""
    alice.trust_level = 2  # a member's limit, not a new fan's share of it
    alice.save()
    client = logged_in(alice)
    for name in ("One", "Two"):
        assert client.post("/accounts/settings/profile/", {"display_name": name}).status_code == 302

    response = client.post("/accounts/settings/profile/", {"display_name": "Three"})

    assert response.status_code == 429
    assert "Too many changes of your display name or avatar" in response.content.decode()
    alice.refresh_from_db()
    assert alice.display_name == "Two"


# The avatar


def test_an_uploaded_avatar_is_shrunk_served_as_an_image_and_shown_beside_the_name(
    client, logged_in, alice, idea
):
    response = logged_in(alice).post(
        "/accounts/settings/profile/", {"display_name": "", "avatar": picture((600, 400))}
    )
    assert response.status_code == 302

    alice.refresh_from_db()
    url = alice.avatar_url
    assert url.startswith("/accounts/avatars/") and url.endswith(".jpg")
    image = client.get(url)
    assert image.status_code == 200
    assert image["Content-Type"] == "image/jpeg"
    assert image["X-Content-Type-Options"] == "nosniff"
    assert "max-age=31536000" in image["Cache-Control"]
    with Image.open(io.BytesIO(b"".join(image.streaming_content))) as served:
        assert served.size == (256, 171)
    post = client.get(f"/posts/{idea.pk}/").content.decode()
    assert f'<img class="avatar avatar-small" src="{url}"' in post
    assert f'src="{url}"' in client.get("/accounts/fans/alice/").content.decode()


def test_without_an_avatar_the_initial_is_drawn(client, alice, idea):
    update_profile(fan=alice, display_name="Zoë")

    post = client.get(f"/posts/{idea.pk}/").content.decode()
    assert 'aria-hidden="true" translate="no">Z</span>' in post
    assert '<img class="avatar' not in post


def test_a_new_avatar_has_a_new_address_and_the_old_file_goes_after_commit(
    alice, django_capture_on_commit_callbacks
):
    update_profile(fan=alice, avatar=picture(colour="red"))
    first_url, first_file = alice.avatar_url, stored(alice)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        update_profile(fan=alice, avatar=picture(colour="blue"))
    assert os.path.exists(first_file)  # until the transaction is committed
    for callback in callbacks:
        callback()

    assert alice.avatar_url != first_url
    assert not os.path.exists(first_file)
    assert os.path.exists(stored(alice))


def test_a_removed_avatar_is_gone_from_disk_and_its_address(
    client, alice, django_capture_on_commit_callbacks
):
    update_profile(fan=alice, avatar=picture())
    url, path = alice.avatar_url, stored(alice)

    with django_capture_on_commit_callbacks(execute=True):
        update_profile(fan=alice, remove_avatar=True)

    assert not os.path.exists(path)
    assert alice.avatar_url == ""
    assert client.get(url).status_code == 404


def test_what_is_not_an_image_is_refused_and_nothing_is_stored(logged_in, alice, settings):
    fake = SimpleUploadedFile("me.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")

    response = logged_in(alice).post("/accounts/settings/profile/", {"avatar": fake})

    assert response.status_code == 400
    assert "Upload a JPEG, PNG, WebP or GIF image." in response.content.decode()
    alice.refresh_from_db()
    assert not alice.avatar
    avatars = settings.IMAGE_ROOT / "user"
    assert not avatars.exists() or not any(avatars.iterdir())


def test_only_a_stored_avatar_name_is_served(client, alice):
    update_profile(fan=alice, avatar=picture())

    assert client.get("/accounts/avatars/" + "0" * 32 + ".jpg").status_code == 404
    assert client.get("/accounts/avatars/..%2Fsecret_key").status_code == 404


# The API


def test_the_api_shows_and_changes_the_display_name_and_the_avatar(alice, api_as):
    api = api_as(alice)
    assert api.get("/me").json()["display_name"] == ""
    assert api.get("/me").json()["avatar_url"] is None

    changed = api.patch("/me", {"display_name": "艾丽斯"})
    assert changed.status_code == 200 and changed.json()["display_name"] == "艾丽斯"

    uploaded = api.client.post(
        "/api/v1/me/avatar",
        {"avatar": picture(fmt="PNG", name="me.png", mode="RGBA")},
        headers=api.headers,
    )
    assert uploaded.status_code == 200
    avatar_url = uploaded.json()["avatar_url"]
    assert avatar_url.startswith("http") and avatar_url.endswith(".png")
    assert api.get("/me").json()["avatar_url"] == avatar_url

    removed = api.delete("/me/avatar")
    assert removed.status_code == 200 and removed.json()["avatar_url"] is None


def test_the_api_refuses_a_bad_display_name_or_image_with_the_field(alice, bob, api_as):
    api = api_as(alice)

    taken = api.patch("/me", {"display_name": "bob"})
    assert taken.status_code == 422
    assert "another fan's username" in taken.content.decode()
    assert "display_name" in taken.content.decode()

    fake = SimpleUploadedFile("me.png", b"GIF89a not really", content_type="image/png")
    refused = api.client.post("/api/v1/me/avatar", {"avatar": fake}, headers=api.headers)
    assert refused.status_code == 422
    assert "avatar" in refused.content.decode()
    alice.refresh_from_db()
    assert not alice.avatar and alice.display_name == ""


def test_the_api_takes_only_a_json_object(alice, api_as):
    response = api_as(alice).patch("/me", [None, None])

    assert response.status_code == 422
    alice.refresh_from_db()
    assert alice.display_name == ""
