"""What releases shows on board's post page (core.panels): the published builds that
shipped the post, and the builds that list it as a known issue."""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest

from orangefriday.board.models import Post

from .models import Change, Channel, KnownIssue
from .permissions import can_see_internal


def post_builds(request: HttpRequest, posts: Sequence[Post]) -> dict[Any, dict[str, Any]]:
    ids = [post.pk for post in posts]
    # Internal builds of the products whose internal builds the viewer may not see.
    products = {post.product_id: post.product for post in posts}
    unseen = [pk for pk, product in products.items() if not can_see_internal(request.user, product)]
    internal = {"build__channel": Channel.INTERNAL, "build__product_id__in": unseen}
    shipped: dict[int, list[Change]] = defaultdict(list)
    for change in (
        Change.objects.filter(post_id__in=ids, build__published_at__isnull=False)
        .exclude(**internal)
        .select_related("build")
        .order_by("build__cut_at", "pk")
    ):
        shipped[change.post_id].append(change)  # type: ignore[index]
    marks: dict[int, list[KnownIssue]] = defaultdict(list)
    for mark in (
        KnownIssue.objects.filter(post_id__in=ids).exclude(**internal).select_related("build")
    ):
        marks[mark.post_id].append(mark)
    return {pk: {"shipped_in": shipped[pk], "marks": marks[pk]} for pk in ids}
