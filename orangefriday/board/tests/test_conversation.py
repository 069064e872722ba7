"""The conversation: a reply, a mention, an official answer, a merge or a hiding tells the fans
it concerns, in-app and by email, as far as each fan's choices per kind allow."""

import pytest
from django.db import transaction

from orangefriday.board.actions import add_comment, create_post
from orangefriday.board.consumers import mentioned_names
from orangefriday.conftest import make_fan
from orangefriday.core.events import dispatch, record
from orangefriday.notifications.models import Notification, OutboxEmail
from orangefriday.notifications.preferences import Choice, set_choices
from orangefriday.voting.actions import cast_vote, merge_posts

pytestmark = pytest.mark.django_db


@pytest.fixture
def idea(alice, recorder):
    return create_post(author=alice, product=recorder, kind="idea", title="Mute while recording")


def told(kind: str | None = None) -> dict[str, Notification]:
    rows = Notification.objects.select_related("fan")
    if kind:
        rows = rows.filter(kind=kind)
    return {n.fan.username: n for n in rows}


def emailed() -> dict[str, OutboxEmail]:
    return {e.fan.username: e for e in OutboxEmail.objects.select_related("fan")}


def test_a_comment_on_your_post_tells_you_with_the_product_the_post_and_the_text(alice, bob, idea):
    comment = add_comment(author=bob, post=idea, body="**Yes**, and in calls too")
    dispatch()

    assert set(told()) == {"alice"}  # never bob himself
    notification = told()["alice"]
    assert notification.kind == "reply"
    assert notification.message == "bob replied on your post “Mute while recording”"
    assert notification.text == "Yes, and in calls too"
    assert notification.post == idea and notification.post.product.name == "Sound Recorder"
    assert notification.url == f"/posts/{idea.pk}/#comment-{comment.pk}"
    email = emailed()["alice"]
    assert email.subject == notification.message
    assert "> **Yes**, and in calls too" in email.body  # the comment quoted, as Markdown
    assert f"#comment-{comment.pk}>" in email.body and "(Sound Recorder)" in email.body

    dispatch()  # a replay tells nobody twice
    assert Notification.objects.count() == 1 and OutboxEmail.objects.count() == 1


def test_a_reply_to_your_comment_tells_you_and_the_posts_author(alice, bob, idea):
    carol = make_fan("carol")
    first = add_comment(author=bob, post=idea, body="I want it too")
    dispatch()
    Notification.objects.all().delete()

    add_comment(author=carol, post=idea, body="Same here", parent=first)
    dispatch()

    assert told()["bob"].message == "carol replied to your comment on “Mute while recording”"
    assert told()["alice"].message == "carol replied on your post “Mute while recording”"
    assert set(told()) == {"alice", "bob"}


def test_a_mention_tells_the_fan_once_and_only_real_fans_are_mentioned(alice, bob, idea):
    carol = make_fan("carol")
    add_comment(
        author=bob,
        post=idea,
        body="@carol and @alice, look. Not @nobody, not me (@bob), nor mail@carol.org",
    )
    dispatch()

    assert told()["carol"].kind == "mention"
    assert told()["carol"].message == "bob mentioned you on “Mute while recording”"
    # alice is the post's author and mentioned: one notification, the mention.
    assert told()["alice"].kind == "mention"
    assert set(told()) == {"alice", "carol"}
    assert set(emailed()) == {"alice", "carol"}
    assert carol.pk


def test_mentioned_names_end_where_the_sentence_does():
    assert mentioned_names("thanks @li_jizhe. And @maya-2, @bob!") == ["li_jizhe", "maya-2", "bob"]
    assert mentioned_names("write to a@b.org or @@x") == []
    assert mentioned_names("@bob @bob") == ["bob"]


def test_an_official_answer_tells_the_followers(alice, bob, maya, idea):
    cast_vote(fan=bob, post_id=idea.pk)  # bob follows the post by voting
    add_comment(author=maya, post=idea, body="We are on it.")
    dispatch()

    assert told()["bob"].kind == "answer"
    assert told()["bob"].message == "An official answer from maya on “Mute while recording”"
    assert told()["alice"].kind == "reply"  # the author hears it as a reply
    assert "maya" not in told()


def test_a_plain_comment_does_not_tell_every_follower(alice, bob, idea):
    cast_vote(fan=bob, post_id=idea.pk)
    add_comment(author=make_fan("carol"), post=idea, body="+1")
    dispatch()
    assert set(told()) == {"alice"}


def test_each_kind_is_switched_in_app_and_by_email(alice, bob, idea):
    set_choices(fan=alice, kinds={"reply": Choice(in_app=True, email=False)}, digest="weekly")
    add_comment(author=bob, post=idea, body="One")
    dispatch()
    assert "alice" in told() and "alice" not in emailed()

    set_choices(fan=alice, kinds={"reply": Choice(in_app=False, email=False)}, digest="weekly")
    Notification.objects.all().delete()
    add_comment(author=bob, post=idea, body="Two")
    dispatch()
    assert not told() and not emailed()

    # Mentions are another kind: still on.
    add_comment(author=bob, post=idea, body="@alice three")
    dispatch()
    assert told()["alice"].kind == "mention" and "alice" in emailed()


def test_your_merged_post_tells_you(alice, bob, mo, recorder, idea):
    duplicate = create_post(author=bob, product=recorder, kind="idea", title="Mute please")
    merge_posts(by=mo, duplicate=duplicate, original=idea)
    dispatch()

    merged = told("merged")
    assert set(merged) == {"bob"}
    assert merged["bob"].message == (
        "Your post “Mute please” was merged into “Mute while recording”, which you now follow"
    )
    assert "bob" not in told("status")  # told once, as the author
    assert "alice" in told("status")  # the original's follower hears of the merge


def test_content_hidden_by_a_moderator_tells_its_author(alice, bob, mo, idea):
    comment = add_comment(author=bob, post=idea, body="buy cheap phones")
    dispatch()
    Notification.objects.all().delete()
    OutboxEmail.objects.all().delete()
    # The event as the moderation app records it.
    with transaction.atomic():
        record(
            "content.hidden",
            subject=comment,
            actor=mo,
            author_id=bob.pk,
            reason="spam",
            by="moderator",
        )
        record("content.hidden", subject=idea, actor=alice, author_id=alice.pk, by="author")
    dispatch()

    hidden = told("hidden")
    assert set(hidden) == {"bob"}  # the author who hid her own post is not told
    assert hidden["bob"].message == (
        "Your comment on “Mute while recording” was hidden by a moderator"
    )
    assert hidden["bob"].text == "spam"
    assert hidden["bob"].url.endswith(f"#comment-{comment.pk}")
    assert "spam" in emailed()["bob"].body


def test_the_bell_page_shows_the_rows_and_opening_one_goes_to_the_comment(client, alice, bob, idea):
    comment = add_comment(author=bob, post=idea, body="Calls too, please")
    dispatch()
    client.force_login(alice)

    page = client.get("/notifications/").content.decode()
    assert "Sound Recorder" in page and "Mute while recording" in page
    assert "Calls too, please" in page
    assert 'data-testid="unread-count">1<' in page

    notification = Notification.objects.get(fan=alice)
    response = client.get(f"/notifications/{notification.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/posts/{idea.pk}/#comment-{comment.pk}"
