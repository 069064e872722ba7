from datetime import datetime
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Field, Router, Schema, Status

from orangefriday.accounts.api import ANYONE, SIGNED_IN
from orangefriday.accounts.models import User, fan_of
from orangefriday.board.models import Post, Product
from orangefriday.core.api import Id, InputSchema

from . import cuts, installations, issues, publishing, stable
from .models import Build, Change, Channel, KnownIssue
from .permissions import can_manage
from .queries import (
    absolute_notes_markdown,
    known_issues,
    shown_changes,
    visible_build_or_404,
    visible_builds,
)

router = Router(tags=["releases"])

MAX_LIMIT = 500


class ChangeOut(Schema):
    id: int
    kind: str
    text: str
    post_id: Id | None
    post_url: str | None
    proposer: str | None = Field(description="The username of the fan who proposed it")
    voters_count: int


class BuildSummaryOut(Schema):
    id: int
    product: str
    channel: str
    version: str
    url: str
    week_number: int | None
    cut_at: datetime
    published_at: datetime | None
    rollout_percent: int
    rollout_halted: bool
    rollout_halt_reason: str = Field(description="Why the rollout was last halted, if halted")
    promoted_from_id: Id | None
    announcement_post_id: Id | None
    changes_count: int


class BuildOut(BuildSummaryOut):
    notes_intro: str
    notes_markdown: str
    changes: list[ChangeOut]


class CutIn(InputSchema):
    channel: Literal["internal"] = Field(
        "internal", description="Developer builds are cut on Friday, stable ones promoted"
    )


class BuildPatch(InputSchema):
    intro: str


class ChangePatch(InputSchema):
    text: str | None = None
    kind: Literal["new", "improved", "fixed"] | None = None


class RolloutIn(InputSchema):
    percent: int


class KnownIssueOut(Schema):
    post_id: Id
    title: str
    url: str
    status: str
    votes_count: int
    marked_at: datetime


class InstallationOut(Schema):
    build_id: Id
    running: bool
    fans_running: int


def change_out(change: Change) -> dict[str, Any]:
    post_url = None
    if change.post_id is not None:
        post_url = settings.SITE_URL + reverse("board:post", args=[change.post_id])
    return {
        "id": change.pk,
        "kind": change.kind,
        "text": change.text,
        "post_id": change.post_id,
        "post_url": post_url,
        "proposer": change.proposer.username if change.proposer else None,
        "voters_count": change.voters_count,
    }


def build_summary(build: Build, changes_count: int | None = None) -> dict[str, Any]:
    return {
        "id": build.pk,
        "product": build.product.slug,
        "channel": build.channel,
        "version": build.version,
        "url": settings.SITE_URL + build.get_absolute_url(),
        "week_number": build.week_number,
        "cut_at": build.cut_at,
        "published_at": build.published_at,
        "rollout_percent": build.rollout_percent,
        "rollout_halted": build.rollout_halted,
        "rollout_halt_reason": build.rollout_halt_reason if build.rollout_halted else "",
        "promoted_from_id": build.promoted_from_id,
        "announcement_post_id": build.announcement_id,
        "changes_count": build.changes.count() if changes_count is None else changes_count,
    }


def build_out(build: Build) -> dict[str, Any]:
    changes = list(shown_changes().filter(build=build).select_related("proposer"))
    return {
        **build_summary(build, len(changes)),
        "notes_intro": build.notes_intro,
        "notes_markdown": absolute_notes_markdown(build),
        "changes": [change_out(c) for c in changes],
    }


def _managed_build(request: HttpRequest, build_id: Id) -> tuple[User, Build]:
    fan = fan_of(request)
    build = visible_build_or_404(request.user, build_id)
    if not can_manage(fan, build.product):
        raise PermissionDenied(
            gettext("Only engineers of %(product)s manage its builds.")
            % {"product": build.product.local_name}
        )
    return fan, build


@router.get(
    "/products/{slug}/builds",
    response=list[BuildSummaryOut],
    auth=ANYONE,
    summary="A product's builds, newest first (drafts only for its engineers)",
)
def list_builds(
    request: HttpRequest,
    slug: str,
    channel: Literal["internal", "developer", "stable"] | None = None,
    limit: int = 100,
) -> list[dict[str, Any]]:
    product = get_object_or_404(Product, slug=slug)
    if channel is not None and channel not in Channel.values:
        raise ValidationError(
            {
                "channel": gettext("Choose one of %(choices)s.")
                % {"choices": ", ".join(Channel.values)}
            }
        )
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationError(
            {"limit": gettext("Between 1 and %(max_limit)s.") % {"max_limit": MAX_LIMIT}}
        )
    builds = visible_builds(product, request.user, channel).annotate(n_changes=Count("changes"))
    return [build_summary(b, b.n_changes) for b in builds[:limit]]


@router.post(
    "/products/{slug}/builds",
    response={201: BuildOut},
    auth=SIGNED_IN,
    summary="Cut an internal build now (engineers of the product)",
)
def cut_build(request: HttpRequest, slug: str, payload: CutIn | None = None) -> Any:
    product = get_object_or_404(Product, slug=slug)
    channel = payload.channel if payload is not None else Channel.INTERNAL
    if not can_manage(fan_of(request), product):
        raise PermissionDenied(
            gettext("Only engineers of %(product)s cut its builds.")
            % {"product": product.local_name}
        )
    if channel != Channel.INTERNAL:
        raise ValidationError(
            {
                "channel": "Only internal builds are cut through the API; the developer build "
                "is cut on Friday at 17:00, and stable builds are promoted."
            }
        )
    build = cuts.cut_internal_build(product=product, at=timezone.now(), by=fan_of(request))
    return Status(201, build_out(build))


@router.get(
    "/builds/{build_id}", response=BuildOut, auth=ANYONE, summary="A build with its changes"
)
def get_build(request: HttpRequest, build_id: Id) -> dict[str, Any]:
    return build_out(visible_build_or_404(request.user, build_id))


@router.patch(
    "/builds/{build_id}", response=BuildOut, auth=SIGNED_IN, summary="Edit the notes' intro"
)
def patch_build(request: HttpRequest, build_id: Id, payload: BuildPatch) -> dict[str, Any]:
    fan, build = _managed_build(request, build_id)
    publishing.edit_notes(by=fan, build=build, intro=payload.intro)
    build.refresh_from_db()
    return build_out(build)


@router.post(
    "/builds/{build_id}/publish",
    response=BuildOut,
    auth=SIGNED_IN,
    summary="Publish a build (a developer build pins its announcement and tells the voters)",
)
def publish(request: HttpRequest, build_id: Id) -> dict[str, Any]:
    fan, build = _managed_build(request, build_id)
    return build_out(publishing.publish_build(by=fan, build=build))


@router.post(
    "/builds/{build_id}/promote",
    response=BuildOut,
    auth=SIGNED_IN,
    summary="Promote a published developer build to stable (stable beta, 0%); returns it",
)
def promote(request: HttpRequest, build_id: Id) -> dict[str, Any]:
    fan, build = _managed_build(request, build_id)
    return build_out(stable.promote_to_stable(by=fan, build=build))


@router.put(
    "/builds/{build_id}/rollout",
    response=BuildOut,
    auth=SIGNED_IN,
    summary="Raise a stable build's rollout percentage (it never goes down; halt instead)",
)
def set_rollout(request: HttpRequest, build_id: Id, payload: RolloutIn) -> dict[str, Any]:
    fan, build = _managed_build(request, build_id)
    return build_out(stable.set_rollout(by=fan, build=build, percent=payload.percent))


@router.post("/builds/{build_id}/halt", response=BuildOut, auth=SIGNED_IN, summary="Halt a rollout")
def halt(request: HttpRequest, build_id: Id) -> dict[str, Any]:
    fan, build = _managed_build(request, build_id)
    return build_out(stable.halt_rollout(by=fan, build=build))


@router.post(
    "/builds/{build_id}/resume", response=BuildOut, auth=SIGNED_IN, summary="Resume a rollout"
)
def resume(request: HttpRequest, build_id: Id) -> dict[str, Any]:
    fan, build = _managed_build(request, build_id)
    return build_out(stable.resume_rollout(by=fan, build=build))


@router.patch(
    "/changes/{change_id}",
    response=ChangeOut,
    auth=SIGNED_IN,
    summary="Reword a line of the notes or move it to another section",
)
def patch_change(request: HttpRequest, change_id: Id, payload: ChangePatch) -> dict[str, Any]:
    change = get_object_or_404(
        Change.objects.select_related("build__product", "proposer"), pk=change_id
    )
    fan, _ = _managed_build(request, change.build_id)
    publishing.edit_change(by=fan, change=change, text=payload.text, kind=payload.kind)
    return change_out(change)


def known_issue_out(issue: KnownIssue) -> dict[str, Any]:
    post = issue.post
    return {
        "post_id": post.pk,
        "title": post.title,
        "url": settings.SITE_URL + post.get_absolute_url(),
        "status": post.status,
        "votes_count": post.votes_count,
        "marked_at": issue.created_at,
    }


@router.get(
    "/builds/{build_id}/known-issues",
    response=list[KnownIssueOut],
    auth=ANYONE,
    summary="A build's known issues, most voted first",
)
def list_known_issues(request: HttpRequest, build_id: Id) -> list[dict[str, Any]]:
    return [known_issue_out(i) for i in known_issues(visible_build_or_404(request.user, build_id))]


@router.put(
    "/builds/{build_id}/known-issues/{post_id}",
    response=KnownIssueOut,
    auth=SIGNED_IN,
    summary="List a bug report as a known issue of the build (engineers)",
)
def mark_known_issue(request: HttpRequest, build_id: Id, post_id: Id) -> dict[str, Any]:
    fan, build = _managed_build(request, build_id)
    post = get_object_or_404(Post, pk=post_id)
    return known_issue_out(issues.mark_known_issue(by=fan, build=build, post=post))


@router.delete(
    "/builds/{build_id}/known-issues/{post_id}",
    response={204: None},
    auth=SIGNED_IN,
    summary="Take a bug report off the build's known issues (engineers)",
)
def unmark_known_issue(request: HttpRequest, build_id: Id, post_id: Id) -> Any:
    fan, build = _managed_build(request, build_id)
    post = get_object_or_404(Post, pk=post_id)
    issues.unmark_known_issue(by=fan, build=build, post=post)
    return Status(204, None)


@router.put(
    "/builds/{build_id}/installation",
    response=InstallationOut,
    auth=SIGNED_IN,
    summary="Say that you run this build (counts towards the rollout guard's rate)",
)
def declare_running(request: HttpRequest, build_id: Id) -> dict[str, Any]:
    build = visible_build_or_404(request.user, build_id)
    installations.declare_running(fan=fan_of(request), build=build)
    return {"build_id": build.pk, "running": True, "fans_running": build.installations.count()}
