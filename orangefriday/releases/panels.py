"""What releases shows on board's post page (core.panels): the published builds that
shipped the post, and the builds that list it as a known issue."""

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from django.http import HttpRequest

from orangefriday.board.models import Post

from .models import Build, Change, Channel, KnownIssue
from .permissions import can_see_internal

# What _post_known_issue.html shows of a build (and whether it is internal, for whom): a
# post's page asks on every request, and a build's other fields are most of the query's work.
SHOWN = ("post_id", "build__version", "build__channel", "build__product_id")


def post_builds(request: HttpRequest, posts: Sequence[Post]) -> dict[Any, dict[str, Any]]:
    ids = [post.pk for post in posts]
    shipped: dict[int, list[Change]] = defaultdict(list)
    for change in (
        Change.objects.filter(post_id__in=ids, build__published_at__isnull=False)
        .select_related("build")
        .only(*SHOWN)
        .order_by("build__cut_at", "pk")
    ):
        shipped[change.post_id].append(change)  # type: ignore[index]
    marks: dict[int, list[KnownIssue]] = defaultdict(list)
    for mark in KnownIssue.objects.filter(post_id__in=ids).select_related("build").only(*SHOWN):
        marks[mark.post_id].append(mark)
    shown = _internal_shown(request, posts, [*shipped.values(), *marks.values()])
    return {
        pk: {
            "shipped_in": [c for c in shipped[pk] if shown(c.build)],
            "marks": [m for m in marks[pk] if shown(m.build)],
        }
        for pk in ids
    }


def _internal_shown(
    request: HttpRequest, posts: Sequence[Post], found: list[list[Any]]
) -> Callable[[Build], bool]:
    """Whether a build found is shown to the viewer: an internal one only if they may see
    the product's internal builds, asked only when there is one (most posts have none)."""
    products = {post.product_id: post.product for post in posts}
    internal = {
        item.build.product_id
        for items in found
        for item in items
        if item.build.channel == Channel.INTERNAL
    }
    unseen = {pk for pk in internal if not can_see_internal(request.user, products[pk])}
    return lambda build: not (build.channel == Channel.INTERNAL and build.product_id in unseen)
