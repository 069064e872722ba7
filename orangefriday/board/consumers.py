"""Board's consumers of events about posts and comments (core.events): who hears of them.

The rule for a ship (README, "Who is told"): marking a post shipped tells nobody yet, since
fans do not have it until the build is out; the published build tells each voter and
follower once (releases.consumers). Every other status change, and every official
response, tells the post's followers in-app and by email, but not the engineer who made it.

A comment tells, once each and never its own author: the fans it @mentions, then the author
of the comment it replies to and the post's author (a reply), then, for an engineer's
official comment, the post's followers (an official answer). Content a moderator hides
tells its author why.
"""

import re
from functools import partial

from django.conf import settings
from django.utils.translation import gettext, gettext_lazy

from orangefriday.accounts.models import User
from orangefriday.core.events import consumer
from orangefriday.core.models import Event
from orangefriday.core.text import escape_markdown, plain_text
from orangefriday.notifications.inbox import News, tell, tell_followers
from orangefriday.notifications.models import NotificationKind
from orangefriday.notifications.queries import follower_ids

from .models import Comment, Post, Status

# "@name" not inside a word or an address; a name has Django's username characters but "@".
MENTION = re.compile(r"(?<![\w@.+-])@([\w.+-]+)")
# At most this many fans are told of one comment's mentions (Discourse's default, too).
MAX_MENTIONS = 10
# The start of a comment quoted under the bell's line.
QUOTE_LENGTH = 200


def status_news(payload: dict, post_id: int) -> News | None:
    """What followers are told of a status change or response; None for a ship."""
    changed = payload["from_status"] != payload["to_status"]
    if changed and payload["to_status"] == Status.SHIPPED:
        return None
    title = payload["title"]
    if changed:
        kind = NotificationKind.STATUS
        message = gettext("“%(title)s” is now %(status)s") % {
            "title": title,
            "status": Status(payload["to_status"]).label.lower(),
        }
    else:
        kind = NotificationKind.RESPONSE
        message = gettext("An official response on “%(title)s”") % {"title": title}
    body = f"{message}.\n\n{payload['note']}\n\n<{settings.SITE_URL}{payload['url']}>\n"
    return News(kind, message, payload["url"], message, body, post_id=post_id)


@consumer("post.status_changed", name="board.tell_followers_of_status")
def tell_followers_of_status(event: Event) -> None:
    news = status_news(event.payload, event.subject_id)
    # A post hidden before its news went out tells nobody (nothing hidden leaks).
    if news is None or not Post.objects.visible().filter(pk=event.subject_id).exists():
        return
    tell_followers(
        post_id=event.subject_id,
        # Worded again in each follower's language.
        news=lambda: status_news(event.payload, event.subject_id) or news,
        event_key=f"status:{event.payload['change_id']}",
        exclude=[event.actor_id] if event.actor_id else [],
    )


def mentioned_names(body: str) -> list[str]:
    """The usernames a text @mentions, in order, each once; a full stop or dash after a
    name ends the sentence, not the name."""
    names: dict[str, None] = {}
    for match in MENTION.finditer(body):
        names.setdefault(match.group(1).rstrip(".-+"), None)
    return list(names)


# Why a fan hears of a comment: its kind of notification and the bell's line (a template of
# %(who)s and %(title)s), in the order that decides for a fan with several reasons.
REASONS = {
    "mention": (NotificationKind.MENTION, gettext_lazy("%(who)s mentioned you on “%(title)s”")),
    "comment": (
        NotificationKind.REPLY,
        gettext_lazy("%(who)s replied to your comment on “%(title)s”"),
    ),
    "post": (NotificationKind.REPLY, gettext_lazy("%(who)s replied on your post “%(title)s”")),
    "answer": (
        NotificationKind.ANSWER,
        gettext_lazy("An official answer from %(who)s on “%(title)s”"),
    ),
}


def comment_audience(comment: Comment) -> list[tuple[str, list[int]]]:
    """Who hears of a comment, by reason (REASONS), each fan once, never its author."""
    told = {comment.author_id}
    audience = []

    def add(reason: str, fan_ids: list[int]) -> None:
        fresh = list(dict.fromkeys(fan_id for fan_id in fan_ids if fan_id not in told))
        told.update(fresh)
        if fresh:
            audience.append((reason, fresh))

    names = mentioned_names(comment.body)[:MAX_MENTIONS]
    add("mention", list(User.objects.filter(username__in=names).values_list("pk", flat=True)))
    add("comment", [comment.parent.author_id] if comment.parent else [])
    add("post", [comment.post.author_id])
    if comment.official:
        add("answer", list(follower_ids(comment.post_id)))
    return audience


def comment_news(comment: Comment, reason: str, url: str) -> News:
    """The notification and the email (Markdown, the comment quoted) of one reason."""
    post, (kind, line) = comment.post, REASONS[reason]
    message = line % {"who": comment.author.shown_name, "title": post.title}
    heading = line % {
        "who": escape_markdown(comment.author.shown_name),
        "title": escape_markdown(post.title),
    }
    quoted = "\n".join(f"> {text}" for text in comment.body.splitlines())
    reply = gettext("Reply: <%(url)s>") % {"url": settings.SITE_URL + url}
    body = f"{heading} ({escape_markdown(post.product.local_name)})\n\n{quoted}\n\n{reply}\n"
    return News(
        kind=kind,
        message=message,
        url=url,
        email_subject=message,
        email_body=body,
        post_id=post.pk,
        text=plain_text(comment.body_html)[:QUOTE_LENGTH],
    )


@consumer("comment.added", name="board.tell_of_comment")
def tell_of_comment(event: Event) -> None:
    comment = (
        Comment.objects.select_related("post__product", "parent", "author")
        .filter(pk=event.subject_id)
        .first()
    )
    if comment is None:  # removed before its news went out: nothing left to tell of
        return
    for reason, fan_ids in comment_audience(comment):
        tell(
            fan_ids=fan_ids,
            # Worded in each fan's language.
            news=partial(comment_news, comment, reason, event.payload["url"]),
            event_key=f"comment:{comment.pk}",
        )


@consumer("content.hidden", name="board.tell_author_of_hiding")
def tell_author_of_hiding(event: Event) -> None:
    """A moderator hid a post or comment: its author hears why (not when they hid it)."""
    p = event.payload
    if p.get("by") != "moderator":
        return
    is_comment = event.subject_type == Comment._meta.label_lower
    if is_comment:
        comment = Comment.objects.select_related("post").filter(pk=event.subject_id).first()
        post = comment.post if comment else None
        url = f"{post.get_absolute_url()}#comment-{event.subject_id}" if post else ""
    else:
        post = Post.objects.filter(pk=event.subject_id).first()
        url = post.get_absolute_url() if post else ""
    if post is None:
        return
    reason = p.get("reason") or ""

    def news() -> News:  # worded in the author's language
        if is_comment:
            what = gettext("Your comment on “%(title)s” was hidden by a moderator")
        else:
            what = gettext("Your post “%(title)s” was hidden by a moderator")
        message = what % {"title": post.title}
        heading = what % {"title": escape_markdown(post.title)}
        body = f"{heading}.\n\n{reason}\n\n<{settings.SITE_URL}{url}>\n"
        return News(NotificationKind.HIDDEN, message, url, message, body, post.pk, reason[:300])

    tell(fan_ids=[p["author_id"]], news=news, event_key=f"hidden:{event.pk}")
