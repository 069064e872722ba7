"""Must show 2: a post hidden by a moderator, a comment its author deleted, a fan silenced
(declined and blocked) and a merged duplicate are absent from every surface: the boards
and every sort, search, similar posts, the roadmap, the API's lists and detail, the Atom
feed, profiles, known issues, the planning board, notifications and emails sent after
(through the real SMTP test server), and the counts shown."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from orangefriday.board.actions import add_comment, create_post, delete_comment
from orangefriday.board.models import Post
from orangefriday.conftest import make_fan
from orangefriday.core.events import dispatch
from orangefriday.moderation.actions import decide, flag_item, silence
from orangefriday.moderation.models import Review
from orangefriday.notifications.delivery import send_pending_emails
from orangefriday.notifications.models import Notification
from orangefriday.notifications.tests.conftest import make_build, record_published
from orangefriday.releases.models import KnownIssue
from orangefriday.voting.actions import cast_vote, merge_posts

pytestmark = pytest.mark.django_db

HIDDEN = "Recorder drops the call mid interview"
SPAM = "Cheap followers recorder promo"
DUPLICATE = "Backup recordings to the cloud please"
KEPT = "Backup recordings to the cloud"
DELETED_COMMENT = "Wrong thread, sorry about this"


@pytest.fixture
def world(alice, bob, maya, mo, recorder):
    sam = make_fan("sam")
    hidden = create_post(author=alice, product=recorder, kind="bug", title=HIDDEN, body="drops")
    kept = create_post(author=alice, product=recorder, kind="idea", title=KEPT, body="recordings")
    duplicate = create_post(author=bob, product=recorder, kind="idea", title=DUPLICATE)
    spam = create_post(author=sam, product=recorder, kind="idea", title=SPAM, body="recorder")
    for post in (hidden, kept):
        Post.objects.filter(pk=post.pk).update(status="shipped", shipped_at=timezone.now())
    for fan in (bob, sam):
        cast_vote(fan=fan, post_id=kept.pk)
        cast_vote(fan=fan, post_id=hidden.pk)
    add_comment(author=alice, post=kept, body="Still wanted")
    comment = add_comment(author=bob, post=kept, body=DELETED_COMMENT)
    build = make_build(recorder, "26.11.27", [hidden, kept])
    build.published_at = timezone.now()
    build.save()
    KnownIssue.objects.create(build=build, post=hidden, marked_by=maya)
    dispatch()  # the posts' own events, before anything is hidden

    flag_item(flagger=bob, post=hidden, reason="spam")
    decide(by=mo, review=Review.objects.get(post=hidden), decision="hide", reason="spam")
    delete_comment(by=bob, comment=comment)
    silence(
        by=mo, fan=sam, until=timezone.now() + timedelta(days=7), reason="spam", hide_content=True
    )
    merge_posts(by=maya, duplicate=duplicate, original=kept)
    dispatch()  # the merge tells the original's followers (naming the duplicate, rightly)
    return {"hidden": hidden, "kept": kept, "spam": spam, "duplicate": duplicate, "build": build}


GONE = (HIDDEN, SPAM, DUPLICATE, DELETED_COMMENT)


def text_of(message) -> str:
    """Both parts of a multipart email (its plain text and its HTML)."""
    return "\n".join(part.get_content() for part in message.walk() if not part.is_multipart())


def assert_absent(text: str, *, where: str, world=None) -> None:
    for title in GONE:
        assert title not in text, f"{title!r} leaks into {where}"
    # A search marks the matched words (<mark>), which splits a title: look for links too.
    for name in ("hidden", "spam", "duplicate") if world else ():
        link = f"/posts/{world[name].pk}/"
        assert link not in text, f"a link to the {name} post leaks into {where}"


def test_every_page_and_list_leaves_them_out(client, world, alice, recorder):
    board = reverse("board:board", args=[recorder.slug])
    pages = [reverse("home"), board]
    pages += [f"{board}?sort={sort}" for sort in ("hot", "top", "trending", "new")]
    pages += [f"{board}?status=shipped", f"{board}?kind=bug", f"{board}?status=duplicate"]
    search = reverse("board:search")
    pages += [f"{search}?q=recorder", f"{search}?q=recordings", f"{search}?q=cloud"]
    pages += [f"{search}?q=recorder&sort={s}" for s in ("hot", "top", "new", "trending")]
    similar = reverse("board:similar", args=[recorder.slug])
    pages += [f"{similar}?title={t}" for t in (HIDDEN, SPAM, DUPLICATE)]
    pages += [
        reverse("board:roadmap", args=[recorder.slug]),
        reverse("releases:changelog", args=[recorder.slug]),
        reverse("releases:changelog_feed", args=[recorder.slug]),
        reverse("releases:build", args=[world["build"].pk]),
        reverse("releases:known_issues_box", args=[recorder.slug])
        + f"?found_in_build={world['build'].pk}",
        reverse("planning:plan", args=[recorder.slug]),
        reverse("accounts:profile", args=["alice"]),
        reverse("accounts:profile", args=["bob"]),
        reverse("accounts:profile", args=["sam"]),
        world["kept"].get_absolute_url(),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_absent(response.content.decode(), where=url, world=world)
    # What is kept is still there (the checks above can fail). The kept post is shipped, so
    # the board shows it under its status (shipped posts leave the default list).
    kept = world["kept"].get_absolute_url()
    shipped = f"{board}?status=shipped"
    for url in (f"{search}?q=cloud", f"{search}?q=recordings", shipped, f"{similar}?title={KEPT}"):
        assert kept in client.get(url).content.decode(), url


def test_the_api_leaves_them_out(api_as, world, bob, recorder):
    client = api_as(None)
    lists = [
        client.get("/posts"),
        client.get("/posts", product=recorder.slug),
        client.get("/posts", product=recorder.slug, q="recorder"),
        client.get("/posts", product=recorder.slug, status="duplicate"),
        client.get(f"/products/{recorder.slug}/roadmap"),
        client.get(f"/builds/{world['build'].pk}/known-issues"),
        client.get(f"/builds/{world['build'].pk}"),
        client.get(f"/posts/{world['kept'].pk}/comments"),
        client.get(f"/products/{recorder.slug}/plan"),
        api_as(bob).get("/me/subscriptions"),
    ]
    for response in lists:
        assert response.status_code == 200, response.content
        text = response.content.decode()
        assert_absent(text, where=response.wsgi_request.path)
        for name in ("hidden", "spam", "duplicate"):
            assert f'"id": {world[name].pk},' not in text.replace('"id":', '"id": ')
    hidden = client.get(f"/posts/{world['hidden'].pk}")
    assert hidden.status_code == 404 and hidden.json()["detail"] == "Hidden by moderators: spam"
    assert client.get(f"/posts/{world['spam'].pk}").status_code == 404
    assert client.get(f"/posts/{world['hidden'].pk}/comments").status_code == 404
    comments = client.get(f"/posts/{world['kept'].pk}/comments").json()
    assert [c["visibility"] for c in comments] == ["visible", "deleted"]
    assert comments[1]["body"] == "" and comments[1]["body_html"] == ""


def test_the_counts_shown_leave_them_out(client, api_as, world, recorder):
    kept = api_as(None).get(f"/posts/{world['kept'].pk}").json()
    # bob's vote and the duplicate's voters (bob again) count once; sam is silenced.
    assert kept["votes_count"] == 1
    assert kept["comments_count"] == 1
    page = client.get(world["kept"].get_absolute_url()).content.decode()
    assert "1 comment<" in page
    home = client.get(reverse("home")).content.decode()
    assert "1 post" in home or ">1<" in home  # only the kept post is on the board
    assert api_as(world["spam"].author).get("/me").json()["post_count"] == 0


def test_their_links_say_why_or_lead_to_the_original(client, world):
    hidden = client.get(world["hidden"].get_absolute_url())
    assert hidden.status_code == 410
    assert "Hidden by moderators: spam" in hidden.content.decode()
    assert HIDDEN not in hidden.content.decode()
    duplicate = client.get(world["duplicate"].get_absolute_url())
    assert duplicate.status_code == 302
    assert duplicate["Location"] == world["kept"].get_absolute_url()


def test_notifications_and_emails_sent_after_leave_them_out(
    world, maya, bob, smtp_settings, recorder
):
    from orangefriday.board.actions import change_status

    # What was sent before (the merge's news) is not what this test looks at.
    send_pending_emails()
    smtp_settings.recorder.received.clear()
    Notification.objects.all().delete()
    # An engineer's response on the hidden post, then the build's publication.
    change_status(by=maya, post=world["hidden"], status="shipped", note="Fixed in 26.11.27")
    record_published(world["build"])
    dispatch()
    send_pending_emails()

    told = list(Notification.objects.values_list("message", flat=True))
    assert told, "the kept post's voters are told of the build"
    for message in told:
        assert_absent(message, where="a notification")
    messages = smtp_settings.messages()
    assert messages, "emails went out through the SMTP server"
    for received in messages:
        assert_absent(text_of(received.message), where="an email")
        assert_absent(str(received.message["Subject"]), where="an email's subject")
    assert any(KEPT in text_of(r.message) for r in messages)
