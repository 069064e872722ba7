"""Reads of builds and their notes."""

from datetime import datetime

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from orangefriday.board.models import BODY_MAX_LENGTH, Kind, Post, Product, visible_filter

from .guard import window_start
from .models import Build, Change, ChangeKind, Channel, KnownIssue
from .notes import NoteLine, ReleaseNotes, notes_markdown, release_notes
from .permissions import can_manage, can_see, can_see_internal


def visible_build_or_404(user: object, build_id: int) -> Build:
    """The build, if `user` may see it (`permissions.can_see`); else 404, so that a draft's
    existence is not given away."""
    build = get_object_or_404(Build.objects.select_related("product", "promoted_from"), pk=build_id)
    if not can_see(user, build):
        raise Http404("No such build.")
    return build


def shown_changes() -> QuerySet[Change]:
    """A build's change lines as notes, the feed and emails show them: a line whose post was
    hidden or deleted since is left out (board.Post.objects.visible)."""
    return Change.objects.filter(Q(post__isnull=True) | visible_filter("post")).order_by(
        "position", "pk"
    )


def changes_prefetch() -> Prefetch:
    return Prefetch("changes", queryset=shown_changes().select_related("proposer"))


def visible_builds(product: Product, user: object, channel: str | None = None):
    """A product's builds, newest first; drafts only for the product's engineers, internal
    builds only for those who see them (`can_see_internal`)."""
    builds = Build.objects.filter(product=product).select_related("product")
    if channel:
        builds = builds.filter(channel=channel)
    if not can_manage(user, product):
        builds = builds.published()
    if not can_see_internal(user, product):
        builds = builds.exclude(channel=Channel.INTERNAL)
    return builds.order_by("-cut_at", "-pk")


def changelog(product: Product):
    """The published developer builds, newest first, with their changes."""
    return (
        Build.objects.developer()
        .published()
        .filter(product=product)
        .select_related("product")
        .prefetch_related(changes_prefetch())
        .order_by("-version_date", "-pk")
    )


def note_line(change: Change) -> NoteLine:
    proposer = change.proposer
    return NoteLine(
        kind=change.kind,
        text=change.text,
        post_url=reverse("board:post", args=[change.post_id]) if change.post_id else None,
        proposer=proposer.username if proposer else None,
        proposer_url=reverse("accounts:profile", args=[proposer.username]) if proposer else None,
        voters_count=change.voters_count,
        change_id=change.pk,
    )


def notes_for(build: Build) -> ReleaseNotes:
    """The build's notes; prefetch `changes` (with proposers) to read many builds at once."""
    changes = build.changes.all()
    if not _is_prefetched(build):
        changes = shown_changes().filter(build=build).select_related("proposer")
    return release_notes(
        version=build.version, intro=build.notes_intro, lines=[note_line(c) for c in changes]
    )


def _is_prefetched(build: Build) -> bool:
    return "changes" in getattr(build, "_prefetched_objects_cache", {})


def announcement_body(build: Build) -> str:
    """The Markdown body of the build's pinned announcement post."""
    return notes_markdown(
        notes_for(build), build_url=build.get_absolute_url(), max_length=BODY_MAX_LENGTH
    )


def absolute_notes_markdown(build: Build) -> str:
    """The notes with absolute links, for the feed and the API."""
    return notes_markdown(
        notes_for(build), base_url=settings.SITE_URL, build_url=build.get_absolute_url()
    )


def known_issues(build: Build):
    """The build's known issues, most voted first: the bug reports fans should find before
    reporting the same again."""
    return (
        KnownIssue.objects.filter(build=build, post__in=Post.objects.visible())
        .select_related("post")
        .order_by("-post__votes_count", "created_at", "pk")
    )


def guard_counts(build: Build, *, now: datetime) -> tuple[int, int]:
    """What the rollout guard weighs: bug reports naming the build in its window (see
    guard.window_start), and fans who declared running it."""
    reports = build.bug_reports.filter(
        kind=Kind.BUG,
        created_at__gt=window_start(now, build.rollout_halted_at),
        created_at__lte=now,
    ).count()
    return reports, build.installations.count()


CHANNEL_VALUES = list(Channel.values)
KIND_VALUES = list(ChangeKind.values)
