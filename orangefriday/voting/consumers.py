"""Voting's consumers of its own events (core.events)."""

from django.conf import settings

from orangefriday.core.events import consumer
from orangefriday.core.models import Event
from orangefriday.notifications.inbox import News, tell_followers
from orangefriday.notifications.models import NotificationKind


@consumer("post.merged", name="voting.tell_followers_of_merge")
def tell_followers_of_merge(event: Event) -> None:
    """The original's followers (the duplicate's among them now) hear of the merge, but not
    the fan who merged."""
    p = event.payload
    tell_followers(
        post_id=p["original_id"],
        news=News(
            kind=NotificationKind.STATUS,
            message=f"“{p['title']}” was merged into “{p['original_title']}”, which you now follow",
            url=p["url"],
            email_subject=f"{p['title']}: merged into {p['original_title']}",
            email_body=f"Merged into “{p['original_title']}”.\n\n{settings.SITE_URL}{p['url']}\n",
            post_id=p["original_id"],
        ),
        event_key=f"merge:{p['merge_id']}",
        exclude=[event.actor_id] if event.actor_id else [],
    )
