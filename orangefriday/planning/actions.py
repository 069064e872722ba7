"""Every write of the weekly plan: teams, claims, releasing and shipping claimed posts.

Each action checks permission first (PermissionDenied), then input (ValidationError keyed by
field), and writes everything or nothing in one transaction. Refusals that come from the
plan's current state rather than from the input (a full team, a post already claimed or
already shipped) are `PlanConflict`s: still ValidationErrors, so pages show them on the
form, but the API answers 409 rather than 422.
"""

import re
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext

from orangefriday.accounts.models import User
from orangefriday.board.actions import change_status
from orangefriday.board.models import Post, Product, Status
from orangefriday.core.calendar import week_start
from orangefriday.core.errors import Conflict
from orangefriday.core.events import record
from orangefriday.core.text import visible_line

from .models import DEFAULT_WEEKLY_CAPACITY, Claim, Team
from .permissions import can_manage_teams, can_plan_for
from .queries import team_load
from .rules import capacity_problem, is_claimable, team_size_problem

NAME_MAX_LENGTH = Team._meta.get_field("name").max_length or 80
SLUG_MAX_LENGTH = Team._meta.get_field("slug").max_length or 50
_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~])")


class PlanConflict(Conflict):
    """The plan as it stands refuses this (capacity, already claimed, already shipped)."""


def _md(text: str) -> str:
    """Names go into Markdown notes verbatim, never as formatting."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)


def check_members(product: Product, members: Iterable[User]) -> list[User]:
    """The distinct members, if they make a team of this product; else ValidationError."""
    distinct = list({member.pk: member for member in members}.values())
    problem = team_size_problem(len(distinct))
    if problem:
        raise ValidationError({"members": problem})
    engineer_ids = set(
        product.engineers.filter(pk__in=[m.pk for m in distinct]).values_list("pk", flat=True)
    )
    outsiders = sorted(m.username for m in distinct if m.pk not in engineer_ids)
    if outsiders:
        raise ValidationError(
            {"members": f"Not engineers of {product.local_name}: {', '.join(outsiders)}."}
        )
    return distinct


def _check_capacity(capacity: int) -> None:
    problem = capacity_problem(capacity)
    if problem:
        raise ValidationError({"weekly_capacity": problem})


def create_team(
    *,
    by: User,
    product: Product,
    name: str,
    members: Iterable[User],
    weekly_capacity: int = DEFAULT_WEEKLY_CAPACITY,
    slug: str = "",
) -> Team:
    """Form a team of two or three engineers of the product. The product's engineers (and
    admins) may; the slug comes from the name unless given."""
    if not can_manage_teams(by, product):
        raise PermissionDenied(
            gettext("Only engineers of %(product)s form its teams.")
            % {"product": product.local_name}
        )
    name = visible_line(name, field="name")
    if not name:
        raise ValidationError({"name": gettext("Give the team a name.")})
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            {
                "name": gettext("A team name has at most %(name_max_length)s characters.")
                % {"name_max_length": NAME_MAX_LENGTH}
            }
        )
    slug = slug.strip() or slugify(name)[:SLUG_MAX_LENGTH].strip("-")
    if not slug or not _SLUG.match(slug) or len(slug) > SLUG_MAX_LENGTH:
        raise ValidationError(
            {"slug": "Give the team a short address: latin letters, digits and hyphens."}
        )
    chosen = check_members(product, members)
    _check_capacity(weekly_capacity)
    taken = ValidationError(
        {
            "slug": gettext("%(product)s already has a team “%(slug)s”.")
            % {"product": product.local_name, "slug": slug}
        }
    )
    if product.teams.filter(slug=slug).exists():
        raise taken
    try:
        with transaction.atomic():
            team = Team.objects.create(
                product=product, slug=slug, name=name, weekly_capacity=weekly_capacity
            )
            team.members.set(chosen)
    except IntegrityError:  # the same slug, created a moment ago
        raise taken from None
    return team


def update_team(
    *,
    by: User,
    team: Team,
    members: Iterable[User] | None = None,
    weekly_capacity: int | None = None,
) -> Team:
    """Change a team's members and/or weekly capacity (the product's engineers may).

    Lowering the capacity below this week's load is allowed: it only stops new claims.
    A member who leaves stays the responsible engineer of the claims they hold."""
    product = team.product
    if not can_manage_teams(by, product):
        raise PermissionDenied(
            gettext("Only engineers of %(product)s change its teams.")
            % {"product": product.local_name}
        )
    chosen = check_members(product, members) if members is not None else None
    if weekly_capacity is not None:
        _check_capacity(weekly_capacity)
    with transaction.atomic():
        # The same lock claims take: a claim never sees half an update.
        locked = Team.objects.select_for_update().get(pk=team.pk)
        if weekly_capacity is not None:
            locked.weekly_capacity = weekly_capacity
            locked.save(update_fields=["weekly_capacity"])
        if chosen is not None:
            locked.members.set(chosen)
    team.weekly_capacity = locked.weekly_capacity
    return team


def claim_post(*, by: User, team: Team, post: Post, engineer: User | None = None) -> Claim:
    """Take a post into the team's plan for this week and set it `in_progress`.

    `by` must be a member of the team (or an admin); the responsible `engineer` (by default
    `by`) must be a member. The post must be on the team's product, open, under review or
    planned, and not claimed by any team. The claim counts against the team's weekly
    capacity until the week after it ships. The team's row is locked while its load is
    counted, so members claiming at the same moment never exceed the capacity.
    """
    if not can_plan_for(by, team):
        raise PermissionDenied(
            gettext("Only members of team %(team)s claim posts for it.") % {"team": team.name}
        )
    product = team.product
    if post.product_id != product.pk:
        raise ValidationError(
            {
                "post": gettext("That post is not on the %(product)s board.")
                % {"product": product.local_name}
            }
        )
    engineer = engineer or by
    if not team.members.filter(pk=engineer.pk).exists():
        raise ValidationError(
            {"engineer": f"The responsible engineer must be a member of {team.name}."}
        )
    now = timezone.now()
    with transaction.atomic():
        # Team first, then post: every action that takes both locks takes them in this order.
        locked_team = Team.objects.select_for_update().get(pk=team.pk)
        locked_post = Post.objects.select_for_update().get(pk=post.pk)
        taken = Claim.objects.filter(post=locked_post).select_related("team").first()
        if taken is not None:
            raise PlanConflict(
                {
                    "post": gettext("Team %(taken_team)s has already claimed this post.")
                    % {"taken_team": taken.team.name}
                }
            )
        if not is_claimable(locked_post.status):
            label = Status(locked_post.status).label.lower()
            raise PlanConflict(
                {
                    "post": gettext(
                        "Only open, under-review or planned posts are claimed; this is %(label)s."
                    )
                    % {"label": label}
                }
            )
        load = team_load(locked_team, now=now)
        if load >= locked_team.weekly_capacity:
            raise PlanConflict(
                {
                    "team": gettext(
                        "Team %(team)s is at its weekly capacity: %(load)s of %(capacity)s "
                        "slots are taken. Ship or release a claim first."
                    )
                    % {"team": team.name, "load": load, "capacity": locked_team.weekly_capacity}
                }
            )
        week = week_start(now, product.time_zone)
        claim = Claim.objects.create(
            team=locked_team, post=locked_post, engineer=engineer, week_start=week, claimed_at=now
        )
        record(
            "claim.made",
            subject=claim,
            actor=by,
            team_id=locked_team.pk,
            post_id=locked_post.pk,
            engineer_id=engineer.pk,
            week_start=week,
        )
        change_status(
            by=by,
            post=locked_post,
            status=Status.IN_PROGRESS,
            note=f"Claimed by team {_md(team.name)} for the week of {week:%B} {week.day}; "
            f"{_md(engineer.shown_name)} is responsible.",
        )
    post.status, post.updated_at = locked_post.status, locked_post.updated_at
    return claim


def release_claim(*, by: User | None, claim: Claim) -> None:
    """Give a claimed post back: the claim is deleted and the post is `planned` again, free
    for any team (this frees the team's slot). A shipped post's claim stays: it is the
    record of who built it. `by` None is the system (a shipped post its voters reopened)."""
    team = claim.team
    if by is not None and not can_plan_for(by, team):
        raise PermissionDenied(
            gettext("Only members of team %(team)s release its claims.") % {"team": team.name}
        )
    with transaction.atomic():
        Team.objects.select_for_update().get(pk=team.pk)
        post = Post.objects.select_for_update().select_related("product").get(pk=claim.post_id)
        if not Claim.objects.filter(pk=claim.pk).exists():
            raise PlanConflict({"claim": gettext("This claim was already released.")})
        if post.shipped_at is not None:
            raise PlanConflict(
                {"claim": gettext("This post has shipped; its claim stays on record.")}
            )
        record(
            "claim.released",
            subject=claim,
            actor=by,
            team_id=team.pk,
            post_id=post.pk,
            engineer_id=claim.engineer_id,
            week_start=claim.week_start,
        )
        Claim.objects.filter(pk=claim.pk).delete()
        if post.status == Status.IN_PROGRESS:
            change_status(
                by=by,
                post=post,
                status=Status.PLANNED,
                note=f"Team {_md(team.name)} released this post; it is planned, "
                "for any team to claim.",
            )


def ship_claimed_post(*, by: User, post: Post, note: str = "") -> Claim:
    """Mark a claimed post `shipped`: the next developer build carries it. Members of the
    claiming team (and admins) may. Nobody is told yet: the published build tells its
    voters and followers (README, "Who is told about a ship")."""
    if not can_manage_teams(by, post.product):
        raise PermissionDenied(
            gettext("Only engineers of %(product)s ship posts.")
            % {"product": post.product.local_name}
        )
    claim = Claim.objects.select_related("team__product", "engineer").filter(post=post).first()
    if claim is None:
        raise ValidationError({"post": gettext("No team has claimed this post.")})
    team = claim.team
    if not can_plan_for(by, team):
        raise PermissionDenied(
            gettext("Only members of team %(team)s ship its claims.") % {"team": team.name}
        )
    with transaction.atomic():
        locked = Post.objects.select_for_update().select_related("product").get(pk=post.pk)
        if locked.status == Status.SHIPPED:
            raise PlanConflict({"post": gettext("This post has already shipped.")})
        if locked.status in (Status.DECLINED, Status.DUPLICATE):
            label = Status(locked.status).label.lower()
            raise PlanConflict(
                {"post": gettext("This post is %(label)s; it cannot ship.") % {"label": label}}
            )
        change_status(
            by=by,
            post=locked,
            status=Status.SHIPPED,
            note=note.strip()
            or f"Shipped by team {_md(team.name)}: it will be in the next developer build.",
        )
    post.status, post.shipped_at = locked.status, locked.shipped_at
    claim.post = locked
    return claim
