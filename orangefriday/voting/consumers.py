"""Voting's consumers of its own events (core.events)."""

from django.conf import settings
from django.utils.translation import gettext

from orangefriday.board.models import Post
from orangefriday.core.events import consumer
from orangefriday.core.models import Event
from orangefriday.core.text import escape_markdown
from orangefriday.notifications.inbox import News, tell, tell_followers
from orangefriday.notifications.models import NotificationKind


@consumer("post.merged", name="voting.tell_followers_of_merge")
def tell_followers_of_merge(event: Event) -> None:
    """The duplicate's author hears that their post was merged; the original's other
    followers (the duplicate's among them now) hear of the merge; the fan who merged, not."""
    p = event.payload
    if not Post.objects.visible().filter(pk=p["original_id"]).exists():
        return  # the original was hidden before the news went out
    link = f"<{settings.SITE_URL}{p['url']}>"
    author_id = Post.objects.filter(pk=event.subject_id).values_list("author_id", flat=True)
    authors = [fan_id for fan_id in author_id if fan_id != event.actor_id]
    names = {"title": p["title"], "original": p["original_title"]}
    escaped = {key: escape_markdown(value) for key, value in names.items()}

    # Each worded in the fan's own language.
    def to_author() -> News:
        line = gettext("Your post “%(title)s” was merged into “%(original)s”, which you now follow")
        return News(
            kind=NotificationKind.MERGED,
            message=line % names,
            url=p["url"],
            email_subject=line % names,
            email_body=f"{line % escaped}.\n\n{link}\n",
            post_id=p["original_id"],
        )

    def to_followers() -> News:
        merged = gettext("Merged into “%(original)s”.") % {"original": escaped["original"]}
        return News(
            kind=NotificationKind.STATUS,
            message=gettext("“%(title)s” was merged into “%(original)s”, which you now follow")
            % names,
            url=p["url"],
            email_subject=gettext("%(title)s: merged into %(original)s") % names,
            email_body=f"{merged}\n\n{link}\n",
            post_id=p["original_id"],
        )

    tell(fan_ids=authors, news=to_author, event_key=f"merge:{p['merge_id']}")
    tell_followers(
        post_id=p["original_id"],
        news=to_followers,
        event_key=f"merge:{p['merge_id']}",
        exclude=[*authors, *([event.actor_id] if event.actor_id else [])],
    )
