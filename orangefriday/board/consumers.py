"""Board's consumers of its own events (core.events): who hears about a post's status.

The rule for a ship (README, "Who is told"): marking a post shipped tells nobody yet, since
fans do not have it until the build is out; the published build tells each voter and
follower once (releases.consumers). Every other status change, and every official
response, tells the post's followers in-app and by email, but not the engineer who made it.
"""

from django.conf import settings

from orangefriday.core.events import consumer
from orangefriday.core.models import Event
from orangefriday.notifications.inbox import News, tell_followers
from orangefriday.notifications.models import NotificationKind

from .models import Status


def status_news(payload: dict, post_id: int) -> News | None:
    """What followers are told of a status change or response; None for a ship."""
    changed = payload["from_status"] != payload["to_status"]
    if changed and payload["to_status"] == Status.SHIPPED:
        return None
    title = payload["title"]
    if changed:
        kind = NotificationKind.STATUS
        message = f"“{title}” is now {Status(payload['to_status']).label.lower()}"
    else:
        kind, message = NotificationKind.RESPONSE, f"An official response on “{title}”"
    body = f"{message}.\n\n{payload['note']}\n\n{settings.SITE_URL}{payload['url']}\n"
    return News(kind, message, payload["url"], message, body, post_id=post_id)


@consumer("post.status_changed", name="board.tell_followers_of_status")
def tell_followers_of_status(event: Event) -> None:
    news = status_news(event.payload, event.subject_id)
    if news is None:
        return
    tell_followers(
        post_id=event.subject_id,
        news=news,
        event_key=f"status:{event.payload['change_id']}",
        exclude=[event.actor_id] if event.actor_id else [],
    )
