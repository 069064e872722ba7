"""Known issues of a build: engineers list bug reports on the build's page, fans see them
before they report the same again; and fans say which build they run."""

import pytest
from django.utils import timezone

from orangefriday.board.actions import create_post
from orangefriday.board.models import Post
from orangefriday.releases.models import Build, Channel, Installation, KnownIssue
from orangefriday.voting.actions import cast_vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def crash(stable: Build, alice, bob) -> Post:
    post = create_post(
        author=alice,
        product=stable.product,
        kind="bug",
        title="Recording stops when a call comes in",
        found_in_build_id=stable.pk,
    )
    cast_vote(fan=bob, post_id=post.pk)
    return post


def test_engineers_list_and_unlist_known_issues_through_the_api(stable, crash, maya, api_as):
    api = api_as(maya)
    for _ in range(2):  # listing twice keeps one
        response = api.put(f"/builds/{stable.pk}/known-issues/{crash.pk}")
        assert response.status_code == 200
    assert response.json()["title"] == crash.title
    listed = api_as(None).get(f"/builds/{stable.pk}/known-issues")
    assert [(i["post_id"], i["votes_count"]) for i in listed.json()] == [(crash.pk, 1)]

    assert api.delete(f"/builds/{stable.pk}/known-issues/{crash.pk}").status_code == 204
    assert api_as(None).get(f"/builds/{stable.pk}/known-issues").json() == []


def test_fans_cannot_list_known_issues(stable, crash, alice, api_as):
    fan = api_as(alice)
    assert fan.put(f"/builds/{stable.pk}/known-issues/{crash.pk}").status_code == 403
    KnownIssue.objects.create(build=stable, post=crash)
    assert fan.delete(f"/builds/{stable.pk}/known-issues/{crash.pk}").status_code == 403
    assert KnownIssue.objects.count() == 1


def test_only_bug_reports_of_the_product_are_known_issues(stable, alice, camera, maya, api_as):
    idea = create_post(author=alice, product=stable.product, kind="idea", title="Cloud sync")
    elsewhere = create_post(author=alice, product=camera, kind="bug", title="Blurry")
    for post, message in [(idea, "Only bug reports"), (elsewhere, "not on the Sound Recorder")]:
        response = api_as(maya).put(f"/builds/{stable.pk}/known-issues/{post.pk}")
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "post"
        assert message in response.json()["detail"]
    assert api_as(maya).put(f"/builds/{stable.pk}/known-issues/999999").status_code == 404
    assert not KnownIssue.objects.exists()


def test_the_build_page_lists_known_issues_and_engineers_manage_them(
    stable, crash, maya, alice, logged_in, client
):
    engineer = logged_in(maya)
    bad = engineer.post(f"/builds/{stable.pk}/known-issues/", {"post": "no number"})
    assert bad.status_code == 400 and "number or address" in bad.content.decode()

    response = engineer.post(f"/builds/{stable.pk}/known-issues/", {"post": f"/posts/{crash.pk}/"})
    assert response.status_code == 302
    page = client.get(stable.get_absolute_url()).content.decode()
    assert crash.title in page and "1 vote" in page
    assert "Add a known issue" not in page  # not for fans
    post_page = client.get(crash.get_absolute_url()).content.decode()
    assert "Known issue of" in post_page and f"/builds/{stable.pk}/#known-issues" in post_page

    assert (
        logged_in(alice).post(f"/builds/{stable.pk}/known-issues/{crash.pk}/remove/").status_code
        == 403
    )
    engineer.post(f"/builds/{stable.pk}/known-issues/{crash.pk}/remove/")
    assert crash.title not in client.get(stable.get_absolute_url()).content.decode()


def test_an_engineer_lists_a_bug_from_its_post_page(stable, crash, maya, alice, logged_in):
    page = logged_in(maya).get(crash.get_absolute_url()).content.decode()
    assert "List as a known issue of 26.11.27" in page
    assert (
        "List as a known issue"
        not in logged_in(alice).get(crash.get_absolute_url()).content.decode()
    )
    logged_in(maya).post(f"/builds/{stable.pk}/known-issues/", {"post": str(crash.pk)})
    assert KnownIssue.objects.get().post == crash


def test_the_new_bug_form_fragment_shows_the_chosen_builds_known_issues(
    stable, crash, camera, client
):
    KnownIssue.objects.create(build=stable, post=crash)
    box = client.get(f"/p/sound-recorder/known-issues/?found_in_build={stable.pk}")
    assert crash.title in box.content.decode() and "1 vote" in box.content.decode()

    developer = stable.promoted_from
    assert developer is not None
    box = client.get(f"/p/sound-recorder/known-issues/?found_in_build={developer.pk}")
    assert "No known issues of 26.11.27 yet" in box.content.decode()
    other = Build.objects.create(
        product=camera,
        channel=Channel.DEVELOPER,
        version="26.11.27",
        version_date=timezone.localdate(),
        published_at=timezone.now(),
    )
    KnownIssue.objects.create(build=other, post=crash)
    for query in (f"?found_in_build={other.pk}", "?found_in_build=x", ""):
        assert client.get(f"/p/sound-recorder/known-issues/{query}").content.strip() == b""


def test_the_new_bug_form_asks_for_the_box_when_the_build_changes(stable, alice, logged_in):
    page = logged_in(alice).get(f"/p/sound-recorder/new/?kind=bug&found_in_build={stable.pk}")
    html = page.content.decode()
    assert (
        'hx-get="/p/sound-recorder/known-issues/"' in html and 'hx-trigger="load, change"' in html
    )
    assert f'<option value="{stable.pk}" selected>' in html
    assert 'value="bug"' in html and 'enctype="multipart/form-data"' in html


def test_a_fan_says_they_run_a_build(stable, alice, bob, logged_in, api_as):
    page = logged_in(alice).get(stable.get_absolute_url()).content.decode()
    assert "0 fans run this build" in page and "I run this build" in page

    response = logged_in(alice).post(f"/builds/{stable.pk}/run/")
    assert response.status_code == 302
    page = logged_in(alice).get(stable.get_absolute_url()).content.decode()
    assert "1 fan runs this build" in page and "You run this build" in page

    for _ in range(2):
        response = api_as(bob).put(f"/builds/{stable.pk}/installation")
        assert response.status_code == 200
    assert response.json() == {"build_id": stable.pk, "running": True, "fans_running": 2}
    assert Installation.objects.filter(build=stable).count() == 2
    assert api_as(None).put(f"/builds/{stable.pk}/installation").status_code == 401


def test_nobody_runs_a_draft(product, alice, api_as):
    draft = Build.objects.create(
        product=product, channel=Channel.INTERNAL, version="x", version_date=timezone.localdate()
    )
    assert api_as(alice).put(f"/builds/{draft.pk}/installation").status_code == 404
    assert not Installation.objects.exists()
