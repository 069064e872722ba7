"""Must show 4 (edit history): a fan edits and deletes what they wrote; every edit is kept
(who, when, the text before) and the page says "edited" with the history; an engineer's
official response keeps its history too; a deleted comment leaves a tombstone and its
replies; a deleted post leaves every list."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from orangefriday.board.actions import add_comment, create_post, edit_comment, edit_post
from orangefriday.board.models import Comment, Post

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


@pytest.fixture
def post(alice, recorder):
    return create_post(
        author=alice, product=recorder, kind="idea", title="Mute calls", body="While recording"
    )


def test_the_author_edits_and_the_page_shows_edited_with_the_history(
    post, alice, recorder, logged_in, client
):
    category = recorder.categories.get(slug="recording")
    with time_machine.travel(NOW, tick=False):
        page = logged_in(alice).post(
            f"/posts/{post.pk}/edit/",
            {
                "kind": "bug",
                "title": "Calls cut the recording",
                "body": "Every time",
                "category": category.pk,
                "tags": "calls, interviews",
            },
        )
    assert page.status_code == 302
    post.refresh_from_db()
    assert (post.kind, post.title, post.body, post.category) == (
        "bug",
        "Calls cut the recording",
        "Every time",
        category,
    )
    assert sorted(t.name for t in post.tags.all()) == ["calls", "interviews"]
    html = client.get(post.get_absolute_url()).content.decode()
    assert 'data-testid="edited"' in html
    history = client.get(f"/posts/{post.pk}/history/").content.decode()
    assert "Mute calls" in history and "While recording" in history
    assert "edited by alice" in history and NOW.strftime("%Y-%m-%d %H:%M") in history
    # The board's search finds the new words, not the old.
    link = f'href="{post.get_absolute_url()}"'
    assert link in client.get("/search/?q=cut").content.decode()
    assert link not in client.get("/search/?q=mute").content.decode()


def test_only_the_author_edits_and_bad_input_is_shown_where_it_was(post, bob, alice, logged_in):
    assert logged_in(bob).post(f"/posts/{post.pk}/edit/", {"title": "Mine"}).status_code == 403
    page = logged_in(alice).post(f"/posts/{post.pk}/edit/", {"kind": "idea", "title": "\u200b"})
    assert page.status_code == 400 and 'class="error"' in page.content.decode()
    assert Post.objects.get(pk=post.pk).title == "Mute calls"
    assert not post.revisions.exists()


def test_edits_through_the_api_keep_every_version(post, alice, bob, api_as):
    api = api_as(alice)
    for title in ("Second title", "Third title"):
        answer = api.patch(f"/posts/{post.pk}", {"kind": "idea", "title": title})
        assert answer.status_code == 200 and answer.json()["edited_at"] is not None
    revisions = api_as(None).get(f"/posts/{post.pk}/revisions").json()
    assert [r["title"] for r in revisions] == ["Second title", "Mute calls"]
    assert {r["by"] for r in revisions} == {"alice"}
    refused = api_as(bob).patch(f"/posts/{post.pk}", {"kind": "idea", "title": "Bob's"})
    assert refused.status_code == 403


def test_an_official_response_keeps_its_history(post, maya, client):
    response = add_comment(author=maya, post=post, body="We will look at it next week.")
    assert response.official
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        edit_comment(by=maya, comment=response, body="Planned for 26.12.4.")
    (revision,) = response.revisions.all()
    assert (revision.by, revision.body) == (maya, "We will look at it next week.")
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Planned for 26.12.4." in page and f"/comments/{response.pk}/history/" in page
    assert (
        "We will look at it next week."
        in client.get(f"/comments/{response.pk}/history/").content.decode()
    )


def test_a_deleted_comment_leaves_a_tombstone_and_its_replies(post, alice, bob, logged_in, client):
    comment = add_comment(author=bob, post=post, body="Wrong thread")
    reply = add_comment(author=alice, post=post, body="No worries", parent=comment)
    assert logged_in(alice).post(f"/comments/{comment.pk}/delete/").status_code == 403
    assert logged_in(bob).post(f"/comments/{comment.pk}/delete/").status_code == 302
    post.refresh_from_db()
    assert post.comments_count == 1
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Wrong thread" not in page and "Deleted by its author." in page
    assert "No worries" in page
    assert Comment.objects.get(pk=reply.pk).visibility == "visible"
    with pytest.raises(Exception, match="deleted"):
        edit_comment(by=bob, comment=Comment.objects.get(pk=comment.pk), body="Back")


def test_a_deleted_post_leaves_a_tombstone_and_every_list(post, alice, bob, api_as, client):
    from orangefriday.voting.actions import cast_vote

    cast_vote(fan=bob, post_id=post.pk)
    answer = api_as(alice).delete(f"/posts/{post.pk}")
    assert answer.status_code == 200 and answer.json()["visibility"] == "deleted"
    gone = client.get(post.get_absolute_url())
    assert gone.status_code == 410
    assert "This post was deleted by its author." in gone.content.decode()
    assert "Mute calls" not in client.get("/p/sound-recorder/").content.decode()
    assert "Mute calls" not in client.get("/accounts/bob/").content.decode()  # his votes
    assert api_as(None).get(f"/posts/{post.pk}").status_code == 404
    with pytest.raises(Exception, match="deleted"):
        edit_post(by=alice, post=Post.objects.get(pk=post.pk), kind="idea", title="Back")
