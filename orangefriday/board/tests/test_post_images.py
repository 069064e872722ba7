"""Images on posts: taken in only through core.images, shown with their text alternative,
sent only to whoever may see the post, and their files gone with their rows."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from orangefriday.board import actions
from orangefriday.board.actions import ImageUpload, attach_image, create_post, set_post_visibility
from orangefriday.board.models import Post, PostImage, Visibility
from orangefriday.conftest import make_fan

pytestmark = pytest.mark.django_db

NEW = "/p/sound-recorder/new/"


def picture(
    width: int = 2000, height: int = 1000, kind: str = "JPEG", name: str = ""
) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (255, 105, 0)).save(buffer, kind)
    return SimpleUploadedFile(name or f"photo.{kind.lower()}", buffer.getvalue())


def stored_files() -> list[Path]:
    root = Path(settings.IMAGE_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_fan_posts_images_and_the_post_page_shows_them_with_their_descriptions(
    logged_in, alice, recorder
):
    client = logged_in(alice)
    response = client.post(
        NEW,
        {
            "kind": "bug",
            "title": "Waveform is blank",
            "image_1": picture(),
            "alt_1": "The recording screen, all grey",
            "image_2": picture(300, 600, "PNG"),
        },
    )
    post = Post.objects.get()
    assert response.status_code == 302
    first, second = post.images.all()
    # Shrunk to fit in 1600 pixels, re-encoded by core.images, under a random name.
    assert (first.width, first.height) == (1600, 800) and (second.width, second.height) == (
        300,
        600,
    )
    assert len(stored_files()) == 2 and "photo" not in first.file.name

    page = client.get(post.get_absolute_url()).content.decode()
    images = re.findall(r'<img src="([^"]+)"[^>]*alt="([^"]*)"', page)
    assert images == [
        (first.get_absolute_url(), "The recording screen, all grey"),
        (second.get_absolute_url(), "Image 2 of the post"),
    ]
    assert '<figcaption translate="no">The recording screen, all grey</figcaption>' in page


def test_an_image_is_sent_as_an_image_and_nothing_else(client, alice, recorder):
    post = create_post(
        author=alice,
        product=recorder,
        kind="idea",
        title="Bigger record button",
        images=[ImageUpload(file=picture())],
    )
    response = client.get(post.images.get().get_absolute_url())
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as served:
        assert served.size == (1600, 800)


@pytest.mark.parametrize("visibility", [Visibility.HIDDEN, Visibility.DELETED, Visibility.HELD])
def test_the_images_of_a_post_not_shown_go_only_to_those_who_may_see_it(
    client, logged_in, alice, bob, mo, recorder, visibility
):
    post = create_post(
        author=alice,
        product=recorder,
        kind="idea",
        title="Bigger record button",
        images=[ImageUpload(file=picture())],
    )
    url = post.images.get().get_absolute_url()
    with transaction.atomic():
        set_post_visibility(post.pk, visibility)
    assert client.get(url).status_code == 404
    assert logged_in(bob).get(url).status_code == 404
    assert logged_in(alice).get(url).status_code == 200  # its author
    assert logged_in(mo).get(url).status_code == 200  # a moderator
    assert logged_in(alice).get(url)["Cache-Control"] == "private, no-store"


def test_an_image_of_another_post_is_not_found_under_this_one(client, alice, recorder):
    post = create_post(
        author=alice, product=recorder, kind="idea", title="One", images=[ImageUpload(picture())]
    )
    other = create_post(author=alice, product=recorder, kind="idea", title="Two")
    image = post.images.get()
    assert client.get(f"/posts/{other.pk}/images/{image.pk}/").status_code == 404


def test_an_upload_that_is_not_an_image_is_refused_at_its_slot_and_the_text_kept(
    logged_in, alice, recorder
):
    response = logged_in(alice).post(
        NEW,
        {
            "kind": "idea",
            "title": "Bigger record button",
            "body": "The button is **too small**.",
            "image_1": picture(),
            "image_2": SimpleUploadedFile("shot.png", b"<script>alert(1)</script>"),
        },
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["image_2"] == ["Upload a JPEG, PNG, WebP or GIF image."]
    assert form["title"].value() == "Bigger record button"
    assert form["body"].value() == "The button is **too small**."
    page = response.content.decode()
    assert 'value="Bigger record button"' in page and "choose your images" in page
    assert not Post.objects.exists() and stored_files() == []


def test_a_post_carries_at_most_the_configured_images(logged_in, alice, recorder, settings):
    settings.POST_IMAGES_MAX = 2
    page = logged_in(alice).get(NEW).content.decode()
    assert 'name="image_2"' in page and 'name="image_3"' not in page
    post = create_post(
        author=alice,
        product=recorder,
        kind="idea",
        title="Two pictures",
        images=[ImageUpload(picture()), ImageUpload(picture())],
    )
    with pytest.raises(actions.ValidationError) as refused:
        attach_image(by=alice, post=post, image=ImageUpload(picture()))
    assert refused.value.message_dict == {"image": ["A post carries at most 2 images."]}
    assert post.images.count() == 2 and len(stored_files()) == 2


def test_a_post_that_fails_to_be_written_leaves_no_image_file(alice, recorder, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(actions, "record", broken)
    with pytest.raises(RuntimeError):
        create_post(
            author=alice,
            product=recorder,
            kind="idea",
            title="Lost",
            images=[ImageUpload(picture()), ImageUpload(picture())],
        )
    assert not Post.objects.exists() and not PostImage.objects.exists()
    assert stored_files() == []


def test_an_image_taken_off_its_post_leaves_the_disk_after_commit(
    logged_in, alice, recorder, django_capture_on_commit_callbacks
):
    post = create_post(
        author=alice,
        product=recorder,
        kind="idea",
        title="Three pictures",
        images=[ImageUpload(picture()), ImageUpload(picture()), ImageUpload(picture(), "Last")],
    )
    first = post.images.first()
    assert first is not None
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(alice).post(f"/posts/{post.pk}/images/{first.pk}/remove/")
    assert response.status_code == 302
    assert len(stored_files()) == 2
    # The others move up: the last is now "Image 2 of the post", its own words kept.
    assert [(i.position, i.shown_alt) for i in post.images.all()] == [
        (1, "Image 1 of the post"),
        (2, "Last"),
    ]


def test_only_the_author_takes_an_image_off(logged_in, alice, bob, recorder):
    post = create_post(
        author=alice, product=recorder, kind="idea", title="Pic", images=[ImageUpload(picture())]
    )
    image = post.images.get()
    assert logged_in(bob).post(f"/posts/{post.pk}/images/{image.pk}/remove/").status_code == 403
    assert post.images.count() == 1


def test_a_deleted_post_row_takes_its_image_files_with_it(
    alice, recorder, django_capture_on_commit_callbacks
):
    post = create_post(
        author=alice, product=recorder, kind="idea", title="Pic", images=[ImageUpload(picture())]
    )
    assert len(stored_files()) == 1
    with django_capture_on_commit_callbacks(execute=True):
        Post.objects.filter(pk=post.pk).delete()
    assert stored_files() == []


def test_a_new_fans_first_post_with_an_image_waits_for_review(recorder, holds):
    newcomer = make_fan("newcomer")  # trust level 0, as every new fan
    post = create_post(
        author=newcomer,
        product=recorder,
        kind="idea",
        title="Look",
        images=[ImageUpload(picture())],
    )
    assert post.visibility == Visibility.HELD
    plain = create_post(author=newcomer, product=recorder, kind="idea", title="Just words")
    assert plain.visibility == Visibility.VISIBLE


# The API: the same actions.


def upload(client, post_id: int, **data):
    return client.client.post(f"/api/v1/posts/{post_id}/images", data, headers=client.headers)


def test_the_api_adds_an_image_and_the_post_shows_it(api_as, alice, recorder):
    post = create_post(author=alice, product=recorder, kind="bug", title="Blank waveform")
    client = api_as(alice)
    response = upload(client, post.pk, image=picture(), alt="All grey")
    assert response.status_code == 201
    image = PostImage.objects.get()
    assert response.json() == {
        "id": image.pk,
        "url": settings.SITE_URL + image.get_absolute_url(),
        "alt": "All grey",
        "width": 1600,
        "height": 800,
    }
    shown = client.get(f"/posts/{post.pk}").json()["images"]
    assert shown == [response.json()]
    listed = client.get("/posts", product="sound-recorder").json()["items"]
    assert listed[0]["images"] == [response.json()]


def test_the_api_refuses_what_is_not_an_image_naming_the_field(api_as, alice, recorder):
    post = create_post(author=alice, product=recorder, kind="bug", title="Blank waveform")
    fake = SimpleUploadedFile("x.gif", b"GIF89a<html><script>alert(1)</script>")
    response = upload(api_as(alice), post.pk, image=fake)
    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert errors == {"image": "Upload a JPEG, PNG, WebP or GIF image."}
    assert not PostImage.objects.exists() and stored_files() == []


def test_the_api_refuses_a_fifth_image_naming_the_limit(api_as, alice, recorder):
    post = create_post(
        author=alice,
        product=recorder,
        kind="idea",
        title="Four",
        images=[ImageUpload(picture(40, 40)) for _ in range(4)],
    )
    response = upload(api_as(alice), post.pk, image=picture())
    assert response.status_code == 422
    assert "at most 4 images" in response.json()["errors"][0]["message"]


def test_the_api_lets_only_the_author_add_or_remove_images(
    api_as, alice, bob, recorder, django_capture_on_commit_callbacks
):
    post = create_post(
        author=alice, product=recorder, kind="idea", title="Pic", images=[ImageUpload(picture())]
    )
    image = post.images.get()
    assert upload(api_as(bob), post.pk, image=picture()).status_code == 403
    assert api_as(bob).delete(f"/posts/{post.pk}/images/{image.pk}").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(alice).delete(f"/posts/{post.pk}/images/{image.pk}")
    assert response.status_code == 204
    assert not post.images.exists() and stored_files() == []


def test_an_image_whose_file_is_gone_is_not_found_rather_than_an_error(client, alice, recorder):
    post = create_post(
        author=alice, product=recorder, kind="idea", title="Pic", images=[ImageUpload(picture())]
    )
    image = post.images.get()
    image.file.storage.delete(image.file.name)
    assert client.get(image.get_absolute_url()).status_code == 404
