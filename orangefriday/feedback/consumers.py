"""Feedback's consumers of its own events (core.events): what voters' answers set off.

An answer may reopen the post it is about (actions.reopen_unsolved); a post reopened that
way tells its engineers: the team that claimed it (its claim is released by then), or else
the product's engineers. Its followers hear of the status change itself (board.consumers).
"""

from django.conf import settings
from django.utils.translation import gettext

from orangefriday.board.models import Post
from orangefriday.core.events import consumer
from orangefriday.core.models import Event
from orangefriday.notifications.inbox import News, tell
from orangefriday.notifications.models import NotificationKind
from orangefriday.planning.models import Team

from .actions import reopen_unsolved


@consumer("solution.answered", name="feedback.reopen_if_unsolved")
def reopen_if_unsolved(event: Event) -> None:
    # A "yes" counts too: it may be the answer that brings the number to the minimum.
    reopen_unsolved(post_id=event.payload["post_id"], build_id=event.payload["build_id"])


def engineer_ids(post: Post, team_id: int | None) -> list[int]:
    """Who built the post: the team whose claim it was, or else the product's engineers."""
    team = Team.objects.filter(pk=team_id).first() if team_id is not None else None
    engineers = team.members if team is not None else post.product.engineers
    return list(engineers.values_list("pk", flat=True))


@consumer("post.reopened", name="feedback.tell_engineers_of_reopening")
def tell_engineers_of_reopening(event: Event) -> None:
    post = Post.objects.select_related("product").get(pk=event.subject_id)
    p = event.payload
    url = post.get_absolute_url()

    def news() -> News:  # worded in each engineer's language
        message = gettext(
            "“%(title)s” is open again: %(unsolved)s of %(answered)s voters said %(version)s "
            "did not solve it"
        ) % {
            "title": post.title,
            "unsolved": p["unsolved"],
            "answered": p["answered"],
            "version": p["version"],
        }
        return News(
            kind=NotificationKind.STATUS,
            message=message,
            url=url,
            email_subject=message,
            email_body=f"{message}.\n\n{settings.SITE_URL}{url}\n",
            post_id=post.pk,
        )

    tell(fan_ids=engineer_ids(post, p.get("team_id")), news=news, event_key=f"reopened:{event.pk}")
