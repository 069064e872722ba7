"""What releases shows on board's post page (core.panels): the published builds that
shipped the post, and the builds that list it as a known issue."""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest

from orangefriday.board.models import Post

from .models import Change, KnownIssue


def post_builds(request: HttpRequest, posts: Sequence[Post]) -> dict[Any, dict[str, Any]]:
    ids = [post.pk for post in posts]
    shipped: dict[int, list[Change]] = defaultdict(list)
    for change in (
        Change.objects.filter(post_id__in=ids, build__published_at__isnull=False)
        .select_related("build")
        .order_by("build__cut_at", "pk")
    ):
        shipped[change.post_id].append(change)  # type: ignore[index]
    marks: dict[int, list[KnownIssue]] = defaultdict(list)
    for mark in KnownIssue.objects.filter(post_id__in=ids).select_related("build"):
        marks[mark.post_id].append(mark)
    return {pk: {"shipped_in": shipped[pk], "marks": marks[pk]} for pk in ids}
