"""`{% load feedback %}` for the earlier apps' pages (releases cannot import feedback)."""

from collections.abc import Iterable

from django import template

from orangefriday.board.models import Post
from orangefriday.planning.models import Team
from orangefriday.releases.models import Build

from ..models import Award
from ..queries import awards, summaries

register = template.Library()


@register.simple_tag
def with_feedback(builds: Iterable[Build]) -> list[Build]:
    """The builds, each with `feedback` (reports, ratings, average stability) read for all of
    them in one query: `{% with_feedback builds as builds %}`."""
    listed = list(builds)
    figures = summaries(listed)
    for build in listed:
        build.feedback = figures.get(build.pk)  # type: ignore[attr-defined]
    return listed


@register.simple_tag
def popcorn_awards(*, team: Team | None = None, post: Post | None = None) -> list[Award]:
    """A team's or a post's Popcorn Awards, newest first, with their builds, in one query."""
    found = awards()
    if team is not None:
        found = found.filter(team=team)
    if post is not None:
        found = found.filter(post=post)
    return list(found)
