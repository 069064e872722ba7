"""The weekly plan over JSON. Refusals from the plan's state (a full team, a post already
claimed or shipped) are 409 Conflict; wrong input is 422; fans get 403."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Router, Status

from orangefriday.accounts.api import ANYONE, SIGNED_IN
from orangefriday.accounts.models import User, fan_of
from orangefriday.board.models import Post, Product
from orangefriday.core.api import Id
from orangefriday.core.calendar import week_start

from .actions import (
    claim_post,
    create_team,
    release_claim,
    ship_claimed_post,
    update_team,
)
from .models import Claim, Team
from .permissions import can_manage_teams, can_plan_for
from .queries import TeamWeek, team_week, team_weeks, weekly_plan
from .rules import is_rolled_over
from .schemas import ClaimIn, ClaimOut, PlanOut, ShipIn, TeamIn, TeamOut, TeamPatch

router = Router(tags=["planning"])


def claim_out(claim: Claim, this_week: date) -> dict[str, Any]:
    post = claim.post
    return {
        "id": claim.pk,
        "team_id": claim.team_id,
        "team": claim.team.slug,
        "post_id": post.pk,
        "post_title": post.title,
        "post_url": post.get_absolute_url(),
        "post_status": post.status,
        "engineer": claim.engineer.username,
        "week_start": claim.week_start,
        "claimed_at": claim.claimed_at,
        "shipped_at": post.shipped_at,
        "rolled_over": post.shipped_at is None and is_rolled_over(claim.week_start, this_week),
    }


def team_out(week: TeamWeek, this_week: date) -> dict[str, Any]:
    team = week.team
    return {
        "id": team.pk,
        "slug": team.slug,
        "name": team.name,
        "product": team.product.slug,
        "url": team.get_absolute_url(),
        "members": [member.username for member in week.members],
        "weekly_capacity": team.weekly_capacity,
        "load": week.load,
        "in_progress": [claim_out(c, this_week) for c in week.in_progress],
        "shipped_this_week": [claim_out(c, this_week) for c in week.shipped],
    }


def _team_response(team: Team) -> dict[str, Any]:
    now = timezone.now()
    return team_out(team_week(team, now=now), week_start(now, team.product.time_zone))


def _fans_named(usernames: list[str], field: str) -> list[User]:
    found = {user.username: user for user in User.objects.filter(username__in=usernames)}
    missing = [name for name in usernames if name not in found]
    if missing:
        raise ValidationError(
            {field: gettext("No fan named %(names)s.") % {"names": ", ".join(missing)}}
        )
    return [found[name] for name in usernames]


def _team_or_404(team_id: Id) -> Team:
    return get_object_or_404(Team.objects.select_related("product"), pk=team_id)


@router.get(
    "/products/{slug}/teams", response=list[TeamOut], auth=ANYONE, summary="A product's teams"
)
def list_teams(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    product = get_object_or_404(Product, slug=slug)
    now = timezone.now()
    this_week = week_start(now, product.time_zone)
    return [team_out(week, this_week) for week in team_weeks(product, now=now)]


@router.post(
    "/products/{slug}/teams",
    response={201: TeamOut},
    auth=SIGNED_IN,
    summary="Form a team of 2 or 3 engineers (the product's engineers)",
)
def create(request: HttpRequest, slug: str, payload: TeamIn) -> Any:
    product = get_object_or_404(Product, slug=slug)
    by = fan_of(request)
    if not can_manage_teams(by, product):
        raise PermissionDenied(
            gettext("Only engineers of %(product)s form its teams.")
            % {"product": product.local_name}
        )
    team = create_team(
        by=by,
        product=product,
        name=payload.name,
        slug=payload.slug,
        members=_fans_named(payload.members, "members"),
        weekly_capacity=payload.weekly_capacity,
    )
    return Status(201, _team_response(team))


@router.get("/teams/{team_id}", response=TeamOut, auth=ANYONE, summary="A team and its week")
def get_team(request: HttpRequest, team_id: Id) -> dict[str, Any]:
    return _team_response(_team_or_404(team_id))


@router.patch(
    "/teams/{team_id}",
    response=TeamOut,
    auth=SIGNED_IN,
    summary="Change a team's members and/or weekly capacity (the product's engineers)",
)
def patch_team(request: HttpRequest, team_id: Id, payload: TeamPatch) -> dict[str, Any]:
    team = _team_or_404(team_id)
    by = fan_of(request)
    if not can_manage_teams(by, team.product):
        raise PermissionDenied(
            gettext("Only engineers of %(product)s change its teams.")
            % {"product": team.product.local_name}
        )
    members = None if payload.members is None else _fans_named(payload.members, "members")
    update_team(by=by, team=team, members=members, weekly_capacity=payload.weekly_capacity)
    return _team_response(team)


@router.post(
    "/teams/{team_id}/claims",
    response={201: ClaimOut},
    auth=SIGNED_IN,
    summary="Claim a post for this week (team members); 409 when the team is full",
)
def create_claim(request: HttpRequest, team_id: Id, payload: ClaimIn) -> Any:
    team = _team_or_404(team_id)
    by = fan_of(request)
    if not can_plan_for(by, team):
        raise PermissionDenied(
            gettext("Only members of team %(team)s claim posts for it.") % {"team": team.name}
        )
    post = Post.objects.filter(pk=payload.post_id).first()
    if post is None:
        raise ValidationError(
            {
                "post_id": gettext("No post %(payload_post_id)s.")
                % {"payload_post_id": payload.post_id}
            }
        )
    engineer = None
    if payload.engineer:
        engineer = _fans_named([payload.engineer], "engineer")[0]
    claim = claim_post(by=by, team=team, post=post, engineer=engineer)
    this_week = week_start(claim.claimed_at, team.product.time_zone)
    return Status(201, claim_out(claim, this_week))


@router.delete(
    "/claims/{claim_id}",
    response={204: None},
    auth=SIGNED_IN,
    summary="Release a claim: the post is planned again (team members)",
)
def delete_claim(request: HttpRequest, claim_id: Id) -> Any:
    claim = get_object_or_404(Claim.objects.select_related("team__product"), pk=claim_id)
    release_claim(by=fan_of(request), claim=claim)
    return Status(204, None)


@router.post(
    "/posts/{post_id}/ship",
    response={200: ClaimOut},
    auth=SIGNED_IN,
    summary="Mark a claimed post shipped into the next build (the claiming team)",
)
def ship(request: HttpRequest, post_id: Id, payload: ShipIn | None = None) -> Any:
    post = get_object_or_404(Post.objects.select_related("product"), pk=post_id)
    claim = ship_claimed_post(by=fan_of(request), post=post, note=payload.note if payload else "")
    return claim_out(claim, week_start(timezone.now(), post.product.time_zone))


@router.get(
    "/products/{slug}/plan",
    response=PlanOut,
    auth=ANYONE,
    summary="This week's plan: top posts by the planning sort, claims per team, unclaimed",
)
def get_plan(request: HttpRequest, slug: str) -> dict[str, Any]:
    product = get_object_or_404(Product, slug=slug)
    plan = weekly_plan(product, now=timezone.now())
    return {
        "product": product.slug,
        "week_start": plan.week_start,
        "sort": product.planning_sort,
        "top": [
            {
                "id": row.post.pk,
                "title": row.post.title,
                "url": row.post.get_absolute_url(),
                "kind": row.post.kind,
                "status": row.post.status,
                "votes_count": row.post.votes_count,
                "claim": claim_out(row.claim, plan.week_start) if row.claim else None,
            }
            for row in plan.rows
        ],
        "teams": [team_out(week, plan.week_start) for week in plan.teams],
        "unclaimed": [post.pk for post in plan.unclaimed],
    }
