from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from orangefriday.accounts.models import fan_of
from orangefriday.board.models import Post, Product
from orangefriday.core import panels
from orangefriday.core.calendar import week_start
from orangefriday.core.forms import add_action_errors

from .actions import claim_post, create_team, release_claim, ship_claimed_post, update_team
from .forms import ClaimForm, TeamEditForm, TeamForm
from .models import Claim, Team
from .permissions import can_manage_teams, can_plan_for
from .queries import planning_teams_of, shipped_history, team_week, team_weeks, weekly_plan


def _back(request: HttpRequest, default: str) -> str:
    """Where a button sends the engineer back to: its `next`, if it is one of our pages."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _plan_page(
    request: HttpRequest, product: Product, *, claim_form: ClaimForm | None = None
) -> HttpResponse:
    plan = weekly_plan(product, now=timezone.now())
    mine = {team.pk for team in planning_teams_of(request.user, product)}
    context = {
        "product": product,
        "plan": plan,
        "week_start": plan.week_start,
        "my_teams": [week for week in plan.teams if week.team.pk in mine],
        "my_team_ids": mine,
        "claim_form": claim_form,
        "failed_post": claim_form.data.get("post") if claim_form else None,
        "can_manage": can_manage_teams(request.user, product),
        "here": reverse("planning:plan", args=[product.slug]),
    }
    return render(
        request, "planning/plan.html", context, status=400 if claim_form is not None else 200
    )


def plan(request: HttpRequest, slug: str) -> HttpResponse:
    """The planning board: this week's top posts, who claimed what, and what is left."""
    return _plan_page(request, get_object_or_404(Product, slug=slug))


@login_required
@require_POST
def claim(request: HttpRequest, slug: str) -> HttpResponse:
    product = get_object_or_404(Product, slug=slug)
    form = ClaimForm(request.POST)
    if form.is_valid():
        team = get_object_or_404(Team, pk=form.cleaned_data["team"], product=product)
        post = get_object_or_404(
            Post.objects.select_related("product"), pk=form.cleaned_data["post"]
        )
        try:
            claim_post(by=fan_of(request), team=team, post=post)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(
                request,
                gettext("Team %(team)s claimed “%(post)s”.")
                % {"team": team.name, "post": post.title},
            )
            return redirect(reverse("planning:plan", args=[slug]) + f"#post-{post.pk}")
    return _plan_page(request, product, claim_form=form)


@login_required
@require_POST
def release(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(Claim.objects.select_related("team__product", "post"), pk=pk)
    try:
        release_claim(by=fan_of(request), claim=claim)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            gettext("Released “%(post)s”; it is planned again.") % {"post": claim.post.title},
        )
    return redirect(_back(request, claim.post.get_absolute_url()))


@login_required
@require_POST
def ship(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post.objects.select_related("product"), pk=pk)
    try:
        ship_claimed_post(by=fan_of(request), post=post)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            gettext("“%(post)s” shipped; the next developer build carries it.")
            % {"post": post.title},
        )
    return redirect(_back(request, post.get_absolute_url()))


def _members_and_capacity(form: TeamForm | TeamEditForm) -> dict[str, Any]:
    return {
        "members": list(form.cleaned_data["members"]),
        "weekly_capacity": form.cleaned_data["weekly_capacity"],
    }


def teams(request: HttpRequest, slug: str) -> HttpResponse:
    """The product's teams with this week's load; its engineers form new teams here."""
    product = get_object_or_404(Product, slug=slug)
    can_manage = can_manage_teams(request.user, product)
    form = TeamForm(product=product) if can_manage else None
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_manage:
            raise PermissionDenied(
                gettext("Only engineers of %(product)s form its teams.")
                % {"product": product.local_name}
            )
        form = TeamForm(request.POST, product=product)
        if form.is_valid():
            try:
                team = create_team(
                    by=fan_of(request),
                    product=product,
                    name=form.cleaned_data["name"],
                    slug=form.cleaned_data["slug"],
                    **_members_and_capacity(form),
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, gettext("Team %(team)s is formed.") % {"team": team.name})
                return redirect(team)
        status = 400
    now = timezone.now()
    context = {
        "product": product,
        "weeks": team_weeks(product, now=now),
        "week_start": week_start(now, product.time_zone),
        "form": form,
    }
    return render(request, "planning/teams.html", context, status=status)


def team(request: HttpRequest, slug: str, team_slug: str) -> HttpResponse:
    """A team: members, what it is building, what it shipped."""
    team = get_object_or_404(
        Team.objects.select_related("product"), product__slug=slug, slug=team_slug
    )
    product = team.product
    can_manage = can_manage_teams(request.user, product)
    initial = {"members": list(team.members.all()), "weekly_capacity": team.weekly_capacity}
    form = TeamEditForm(product=product, initial=initial) if can_manage else None
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_manage:
            raise PermissionDenied(
                gettext("Only engineers of %(product)s change its teams.")
                % {"product": product.local_name}
            )
        form = TeamEditForm(request.POST, product=product)
        if form.is_valid():
            try:
                update_team(by=fan_of(request), team=team, **_members_and_capacity(form))
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(
                    request, gettext("Team %(team)s is updated.") % {"team": team.name}
                )
                return redirect(team)
        status = 400
    now = timezone.now()
    context = {
        "product": product,
        "team": team,
        "team_panels": panels.for_object("team.detail", request, team),
        "week": team_week(team, now=now),
        "week_start": week_start(now, product.time_zone),
        "history": shipped_history(team),
        "my_team_ids": {team.pk} if can_plan_for(request.user, team) else set(),
        "form": form,
        "here": team.get_absolute_url(),
    }
    return render(request, "planning/team.html", context, status=status)
