"""Releases' consumers of its own events (core.events): who hears about a build.

The rule for a ship (README, "Who is told"): the published developer build tells each fan
who voted for or follows any of its shipped posts, once: one in-app notification and one
email per fan per build, listing every such post (a fan who unfollowed a post is not told
about it). Marking a post shipped told nobody (board.consumers). A halted rollout tells the
product's engineers.
"""

from functools import partial

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from orangefriday.core.events import consumer
from orangefriday.core.models import Event
from orangefriday.core.text import escape_markdown
from orangefriday.notifications.fanout import BigNews, Told, fan_out
from orangefriday.notifications.inbox import News, tell
from orangefriday.notifications.models import NotificationKind

from .asks import ship_extras
from .models import Build, Channel
from .queries import shown_changes
from .sql import build_audience


def shipped_news(build: Build) -> BigNews | None:
    """What the build's audience hears; None for a build that ships no post."""
    changes = (
        shown_changes()
        .filter(build=build, post__isnull=False)
        .values_list("post_id", "post__title")
    )
    posts = [
        Told(post_id, title, settings.SITE_URL + reverse("board:post", args=[post_id]))
        for post_id, title in changes
    ]
    if not posts:
        return None
    release = f"{build.product.local_name} {build.version}"
    notes_url = build.get_absolute_url()
    audience, params = build_audience([told.post_id for told in posts])
    # Escaped once per post, not once per fan's line (a million lines a build).
    escaped = {told.post_id: escape_markdown(told.title) for told in posts}

    # Both are called in each fan's language (notifications.fanout).
    def email(theirs: list[Told]) -> tuple[str, str]:
        n = len(theirs)
        if n == 1:
            subject = gettext("Shipped in %(release)s: %(title)s") % {
                "release": release,
                "title": theirs[0].title,
            }
        else:
            subject = gettext("%(n)s posts you follow shipped in %(release)s") % {
                "n": n,
                "release": release,
            }
        lines = "".join(
            f"• {escaped[told.post_id]}\n  <{told.url}>\n{_indented(told.extra)}" for told in theirs
        )
        out = ngettext(
            "%(release)s is out, and it carries a post you follow:",
            "%(release)s is out, and it carries %(n)s posts you follow:",
            n,
        ) % {"release": release, "n": n}
        notes = gettext("Release notes: <%(url)s>") % {"url": settings.SITE_URL + notes_url}
        return subject, f"{out}\n\n{lines}\n{notes}\n"

    def message(theirs: list[Told]) -> str:
        if len(theirs) == 1:
            return gettext("“%(title)s” shipped in %(version)s") % {
                "title": theirs[0].title,
                "version": build.version,
            }
        return gettext("%(n)s posts you follow shipped in %(version)s") % {
            "n": len(theirs),
            "version": build.version,
        }

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
        extras=partial(ship_extras, build),
    )


def _indented(extra: str) -> str:
    """What a later app adds under a post (releases.asks), under the post's link."""
    return "".join(f"  {line}\n" for line in extra.splitlines())


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
    reason = p["reason"]

    def news() -> News:  # worded in each engineer's language
        title = gettext("%(product)s %(version)s rollout halted at %(percent)s%%") % {
            "product": product.local_name,
            "version": p["version"],
            "percent": p["percent"],
        }
        then = gettext("Resume it, or leave it halted, on the build's page: <%(url)s>") % {
            "url": f"{settings.SITE_URL}{p['url']}"
        }
        return News(
            kind=NotificationKind.HALTED,
            message=f"{title}: {reason}",
            url=p["url"],
            email_subject=title,
            email_body=f"{title}.\n\n{reason}\n\n{then}\n",
        )

    tell(
        fan_ids=product.engineers.values_list("pk", flat=True),
        news=news,
        event_key=f"halt:{build.pk}:{p['at']}",
    )
