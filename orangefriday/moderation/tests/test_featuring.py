"""Featuring a good post: moderators and the product's engineers feature and unfeature it
on its page and in the API (one permission); the badge on its page and the board's rows,
the board's "featured" filter, the moderation log, the event, and the author's points
(the setting's, held at most once however often it flips)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from orangefriday.board.actions import create_post
from orangefriday.board.models import Visibility
from orangefriday.core.events import dispatch
from orangefriday.core.models import Event
from orangefriday.moderation.actions import feature
from orangefriday.moderation.models import Action, LogEntry
from orangefriday.reputation.models import Entry, Total

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(recorder, alice):
    return create_post(author=alice, product=recorder, kind="idea", title="Bookmarks in a take")


def points(fan) -> int:
    row = Total.objects.filter(fan=fan, product=None).first()
    return row.points if row else 0


def test_a_moderator_features_a_post_on_its_page_and_it_shows_everywhere(
    client, logged_in, recorder, post, alice, bob, mo, settings
):
    settings.REPUTATION_POINTS = {**settings.REPUTATION_POINTS, "post_featured": 33}
    other = create_post(author=bob, product=recorder, kind="idea", title="Plain idea")
    moderator = logged_in(mo)
    page = moderator.get(post.get_absolute_url()).content.decode()
    assert 'data-testid="feature"' in page and "Feature this post" in page
    done = moderator.post(reverse("moderation:feature", args=[post.pk]), {"featured": "1"})
    assert done.status_code == 302
    dispatch()

    shown = client.get(post.get_absolute_url()).content.decode()
    assert 'data-testid="featured">Featured<' in shown
    board = client.get(f"/p/{recorder.slug}/").content.decode()
    row = board[board.index(f'data-post-id="{post.pk}"') :]
    assert 'data-testid="featured"' in row[: row.index("</li>")]
    other_row = board[board.index(f'data-post-id="{other.pk}"') :]
    assert 'data-testid="featured"' not in other_row[: other_row.index("</li>")]
    featured_only = client.get(f"/p/{recorder.slug}/?featured=1").content.decode()
    assert post.title in featured_only and other.title not in featured_only
    assert 'name="featured" value="1" checked' in featured_only
    assert "Stop featuring" in moderator.get(post.get_absolute_url()).content.decode()

    assert LogEntry.objects.filter(action=Action.FEATURE, post=post, moderator=mo).count() == 1
    assert Event.objects.filter(kind="post.featured", subject_id=post.pk).count() == 1
    assert points(alice) == 33
    log = moderator.get(reverse("moderation:log")).content.decode()
    assert "<td>featured</td>" in log and post.title in log


def test_unfeaturing_takes_the_points_back_and_featuring_again_never_pays_twice(
    post, alice, mo, maya
):
    feature(by=mo, post=post)
    dispatch()
    assert points(alice) == 20
    feature(by=maya, post=post, featured=False)
    dispatch()
    assert points(alice) == 0
    back = Entry.objects.get(fan=alice, reason="post_unfeatured")
    assert back.points == -20
    feature(by=mo, post=post)
    feature(by=mo, post=post)  # already featured: nothing more happens
    dispatch()
    assert points(alice) == 20
    assert Event.objects.filter(kind="post.featured").count() == 2
    assert list(
        LogEntry.objects.filter(post=post).order_by("pk").values_list("action", flat=True)
    ) == ["feature", "unfeature", "feature"]
    call_command("rebuild_reputation", stdout=StringIO())
    assert points(alice) == 20


def test_an_engineer_featuring_their_own_post_earns_nothing(recorder, maya):
    own = create_post(author=maya, product=recorder, kind="idea", title="Mine")
    feature(by=maya, post=own)
    dispatch()
    assert points(maya) == 0
    feature(by=maya, post=own, featured=False)
    dispatch()
    assert points(maya) == 0 and not Entry.objects.filter(fan=maya).exists()


def test_the_api_features_and_unfeatures_with_the_same_rule(api_as, post, alice, bob, maya, mo):
    assert api_as(bob).put(f"/posts/{post.pk}/feature").status_code == 403
    put = api_as(maya).put(f"/posts/{post.pk}/feature")
    assert put.status_code == 200 and put.json()["featured_at"] is not None
    assert api_as(None).get(f"/posts/{post.pk}").json()["featured_at"] is not None
    listed = api_as(None).get("/posts", featured="true").json()["items"]
    assert [item["id"] for item in listed] == [post.pk]
    gone = api_as(mo).delete(f"/posts/{post.pk}/feature")
    assert gone.status_code == 200 and gone.json()["featured_at"] is None
    assert api_as(None).get("/posts", featured="true").json()["items"] == []
    dispatch()
    assert points(alice) == 0


def test_a_hidden_post_is_not_featured(api_as, post, mo):
    post.visibility = Visibility.HIDDEN
    post.save()
    refused = api_as(mo).put(f"/posts/{post.pk}/feature")
    assert refused.status_code == 409
    assert refused.json()["errors"][0]["field"] == "featured"
    post.refresh_from_db()
    assert post.featured_at is None and not LogEntry.objects.exists()
