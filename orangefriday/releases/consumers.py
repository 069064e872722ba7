"""Releases' consumers of its own events (core.events): who hears about a build.

The rule for a ship (README, "Who is told"): the published developer build tells each fan
who voted for or follows any of its shipped posts, once: one in-app notification and one
email per fan per build, listing every such post (a fan who unfollowed a post is not told
about it). Marking a post shipped told nobody (board.consumers). A halted rollout tells the
product's engineers.
"""

from django.conf import settings
from django.urls import reverse

from orangefriday.core.events import consumer
from orangefriday.core.models import Event
from orangefriday.notifications.fanout import BigNews, Told, fan_out
from orangefriday.notifications.inbox import News, tell
from orangefriday.notifications.models import NotificationKind

from .models import Build, Change, Channel
from .sql import build_audience


def shipped_news(build: Build) -> BigNews | None:
    """What the build's audience hears; None for a build that ships no post."""
    changes = (
        Change.objects.filter(build=build, post__isnull=False)
        .order_by("position", "pk")
        .values_list("post_id", "post__title")
    )
    posts = [
        Told(post_id, title, settings.SITE_URL + reverse("board:post", args=[post_id]))
        for post_id, title in changes
    ]
    if not posts:
        return None
    release = f"{build.product.name} {build.version}"
    notes_url = build.get_absolute_url()
    audience, params = build_audience([told.post_id for told in posts])

    def email(theirs: list[Told]) -> tuple[str, str]:
        if len(theirs) == 1:
            subject, carries = f"Shipped in {release}: {theirs[0].title}", "a post"
        else:
            subject = f"{len(theirs)} posts you follow shipped in {release}"
            carries = f"{len(theirs)} posts"
        lines = "".join(f"• {told.title}\n  {told.url}\n" for told in theirs)
        body = (
            f"{release} is out, and it carries {carries} you follow:\n\n{lines}\n"
            f"Release notes: {settings.SITE_URL}{notes_url}\n"
        )
        return subject, body

    def message(theirs: list[Told]) -> str:
        if len(theirs) == 1:
            return f"“{theirs[0].title}” shipped in {build.version}"
        return f"{len(theirs)} posts you follow shipped in {build.version}"

    return BigNews(
        event_key=f"build:{build.pk}",
        kind=NotificationKind.SHIPPED,
        url=notes_url,
        audience=audience,
        params=params,
        posts=posts,
        message=message,
        email=email,
        build_id=build.pk,
    )


@consumer("build.published", name="releases.tell_voters_and_followers", chunked=True)
def tell_voters_and_followers(event: Event, cursor: int | None) -> int | None:
    """One range of fans per call (see notifications.fanout)."""
    if event.payload["channel"] != Channel.DEVELOPER:
        return None
    build = Build.objects.select_related("product").get(pk=event.subject_id)
    news = shipped_news(build)
    if news is None:
        return None
    return fan_out(news, after=cursor)


@consumer("rollout.halted", name="releases.tell_engineers_of_halt")
def tell_engineers_of_halt(event: Event) -> None:
    """The rollout guard's halt (no actor) tells the product's engineers; an engineer's
    own halt is news to nobody."""
    if event.actor_id is not None:
        return
    p = event.payload
    build = Build.objects.select_related("product").get(pk=event.subject_id)
    product = build.product
    title = f"{product.name} {p['version']} rollout halted at {p['percent']}%"
    reason = p["reason"]
    tell(
        fan_ids=product.engineers.values_list("pk", flat=True),
        news=News(
            kind=NotificationKind.HALTED,
            message=f"{title}: {reason}",
            url=p["url"],
            email_subject=title,
            email_body=f"{title}.\n\n{reason}\n\nResume it, or leave it halted, on the "
            f"build's page: {settings.SITE_URL}{p['url']}\n",
        ),
        event_key=f"halt:{build.pk}:{p['at']}",
    )
