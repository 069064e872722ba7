"""A bug report names its build and carries a log that only its reporter and the product's
engineers can download, never rendered by a browser; bad input writes nothing."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from orangefriday.board.actions import create_post
from orangefriday.board.logs import LOG_MAX_BYTES
from orangefriday.board.models import Post
from orangefriday.releases.models import Build, Channel

pytestmark = pytest.mark.django_db

LOG = b"11-28 10:02:11.123 E/Recorder: AudioRecord start failed: -38\n" * 40
HTML_LOG = b"<html><script>alert(document.cookie)</script></html>"


def stored_files(settings) -> list[Path]:
    root = Path(settings.BUG_LOG_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def log_file(content: bytes = LOG, name: str = "recorder.log") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/plain")


@pytest.fixture
def camera_build(camera) -> Build:
    return Build.objects.create(
        product=camera,
        channel=Channel.DEVELOPER,
        version="26.11.27",
        version_date=timezone.localdate(),
        published_at=timezone.now(),
    )


def new_bug(client, stable: Build, **fields):
    data = {"kind": "bug", "title": "Recording stops on a call", "found_in_build": stable.pk}
    data.update(fields)
    return client.post("/p/sound-recorder/new/", data)


def test_a_fan_files_a_bug_naming_a_build_with_device_and_log(stable, alice, logged_in, settings):
    page = logged_in(alice).get("/p/sound-recorder/new/")
    assert b"26.11.27 (stable)" in page.content and b"26.11.27 (developer)" in page.content

    response = new_bug(logged_in(alice), stable, device="Xiaomi 14", log=log_file())

    post = Post.objects.get(author__username="alice")
    assert response.status_code == 302 and response["Location"] == post.get_absolute_url()
    assert (post.found_in_build, post.build_version, post.device) == (
        stable,
        "26.11.27",
        "Xiaomi 14",
    )
    assert (post.log_name, post.log_size) == ("recorder.log", len(LOG))
    (stored,) = stored_files(settings)
    assert stored.read_bytes() == LOG
    assert "recorder" not in stored.name  # the fan's file name never reaches the disk

    page = logged_in(alice).get(post.get_absolute_url()).content.decode()
    assert f'href="{stable.get_absolute_url()}"' in page and "Xiaomi 14" in page
    assert "Download the log" in page


@pytest.mark.parametrize("which", ["camera", "draft"])
def test_a_build_of_another_product_or_a_draft_is_refused_and_nothing_is_written(
    stable, alice, logged_in, settings, camera_build, which
):
    build = camera_build
    if which == "draft":
        build = Build.objects.create(
            product=stable.product,
            channel=Channel.INTERNAL,
            version="26.11.28-internal.1",
            version_date=timezone.localdate(),
        )
    response = new_bug(logged_in(alice), build, log=log_file())
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    with pytest.raises(ValidationError, match="published builds of Sound Recorder"):
        create_post(
            author=alice,
            product=stable.product,
            kind="bug",
            title="x",
            found_in_build_id=build.pk,
            log=log_file(),
        )
    assert (
        not Post.objects.filter(author__username="alice").exists() and stored_files(settings) == []
    )


def test_a_log_over_5_mb_is_a_form_error_and_nothing_is_written(stable, alice, logged_in, settings):
    response = new_bug(logged_in(alice), stable, log=log_file(b"x" * (LOG_MAX_BYTES + 1)))
    assert response.status_code == 400
    assert "A log is at most 5 MB" in response.content.decode()
    assert (
        not Post.objects.filter(author__username="alice").exists() and stored_files(settings) == []
    )

    # Exactly 5 MB is fine.
    response = new_bug(logged_in(alice), stable, log=log_file(b"x" * LOG_MAX_BYTES))
    assert (
        response.status_code == 302
        and Post.objects.get(author__username="alice").log_size == LOG_MAX_BYTES
    )


def test_a_failure_after_the_file_is_written_leaves_no_file(stable, alice, settings, monkeypatch):
    original_save = Post.save

    def save_then_fail(self, *args, **kwargs):
        original_save(self, *args, **kwargs)
        if "log" in (kwargs.get("update_fields") or ()):
            raise RuntimeError("disk full")

    monkeypatch.setattr(Post, "save", save_then_fail)
    with pytest.raises(RuntimeError):
        create_post(author=alice, product=stable.product, kind="bug", title="x", log=log_file())
    assert (
        not Post.objects.filter(author__username="alice").exists() and stored_files(settings) == []
    )


def test_only_bugs_carry_logs(stable, alice, logged_in, settings):
    # The page shows the bug fields to all without JavaScript: a log left there when the
    # fan chose another kind is dropped, not stored.
    response = logged_in(alice).post(
        "/p/sound-recorder/new/", {"kind": "idea", "title": "Cloud", "log": log_file()}
    )
    assert response.status_code == 302
    assert not Post.objects.get(title="Cloud").log and stored_files(settings) == []
    # The action itself refuses one.
    with pytest.raises(ValidationError, match="Only bug reports carry a log"):
        create_post(author=alice, product=stable.product, kind="idea", title="Sync", log=log_file())
    assert not Post.objects.filter(title="Sync").exists() and stored_files(settings) == []


@pytest.fixture
def bug(stable, alice) -> Post:
    return create_post(
        author=alice,
        product=stable.product,
        kind="bug",
        title="Recording stops on a call",
        found_in_build_id=stable.pk,
        log=log_file(HTML_LOG, name='evil"\r\nX-Injected: 1.html'),
    )


def assert_safe_download(response, content: bytes) -> None:
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    # The fan's file name cannot add a header of its own.
    assert "X-Injected" not in response and "\n" not in response["Content-Disposition"]
    assert "sandbox" in response["Content-Security-Policy"]


def test_the_reporter_and_engineers_download_the_log_as_an_attachment(
    bug, alice, maya, logged_in, api_as
):
    for fan in (alice, maya):
        assert_safe_download(logged_in(fan).get(f"/posts/{bug.pk}/log/"), HTML_LOG)
        assert_safe_download(api_as(fan).get(f"/posts/{bug.pk}/log"), HTML_LOG)


def test_other_fans_cannot_download_the_log(bug, bob, logged_in, api_as, client):
    assert logged_in(bob).get(f"/posts/{bug.pk}/log/").status_code == 403
    assert api_as(bob).get(f"/posts/{bug.pk}/log").status_code == 403
    assert api_as(None).get(f"/posts/{bug.pk}/log").status_code == 401
    response = client.get(f"/posts/{bug.pk}/log/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    page = logged_in(bob).get(bug.get_absolute_url()).content.decode()
    assert "A log is attached; only the product's engineers read it" in page
    assert f"/posts/{bug.pk}/log/" not in page


def test_a_post_without_a_log_has_nothing_to_download(stable, alice, logged_in):
    post = create_post(author=alice, product=stable.product, kind="bug", title="No log")
    assert logged_in(alice).get(f"/posts/{post.pk}/log/").status_code == 404


def test_the_api_files_a_bug_naming_a_build_then_uploads_its_log(
    stable, alice, bob, api_as, settings, camera_build, django_capture_on_commit_callbacks
):
    api = api_as(alice)
    payload = {
        "product": "sound-recorder",
        "kind": "bug",
        "title": "Recording stops on a call",
        "found_in_build": stable.pk,
        "device": "Redmi Note 13",
    }
    wrong = api.post("/posts", {**payload, "found_in_build": camera_build.pk})
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "found_in_build"
    assert not Post.objects.filter(author__username="alice").exists()

    created = api.post("/posts", payload)
    assert created.status_code == 201
    body = created.json()
    assert (body["found_in_build"], body["build_version"], body["device"]) == (
        stable.pk,
        "26.11.27",
        "Redmi Note 13",
    )
    assert body["has_log"] is False
    path = f"/api/v1/posts/{body['id']}/log"
    headers = api.headers

    too_big = api.client.post(path, {"log": log_file(b"x" * (LOG_MAX_BYTES + 1))}, headers=headers)
    assert too_big.status_code == 422 and too_big.json()["errors"][0]["field"] == "log"
    assert stored_files(settings) == []

    not_theirs = api.client.post(path, {"log": log_file()}, headers=api_as(bob).headers)
    assert not_theirs.status_code == 403

    first = api.client.post(path, {"log": log_file(b"first")}, headers=headers)
    assert first.status_code == 201 and first.json()["size"] == 5
    with django_capture_on_commit_callbacks(execute=True):
        second = api.client.post(path, {"log": log_file(LOG, "again.log")}, headers=headers)
    assert second.status_code == 201
    assert second.json()["name"] == "again.log" and second.json()["url"].endswith(
        f"/api/v1/posts/{body['id']}/log"
    )
    # The replaced log's file is gone; the new one is the only file.
    (stored,) = stored_files(settings)
    assert stored.read_bytes() == LOG
    assert api_as(bob).get(f"/posts/{body['id']}").json()["has_log"] is True


def test_deleting_a_bug_as_the_admin_does_removes_its_log(
    bug, settings, django_capture_on_commit_callbacks
):
    pk = bug.pk
    assert len(stored_files(settings)) == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        bug.delete()
        raise RuntimeError("rolled back")
    assert Post.objects.filter(pk=pk).exists() and len(stored_files(settings)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        Post.objects.filter(pk=pk).delete()  # the admin's bulk delete, or a cascade
    assert stored_files(settings) == []
