from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from orangefriday.accounts.models import User, fan_of
from orangefriday.board.models import Post, Product
from orangefriday.core import panels
from orangefriday.core.calendar import next_cut
from orangefriday.core.forms import add_action_errors
from orangefriday.core.text import render_markdown

from . import cuts, installations, issues, publishing, stable
from .forms import ChangeForm, IntroForm, KnownIssueForm, RolloutForm
from .models import Build, Change, Channel
from .permissions import can_manage
from .queries import changelog as changelog_builds
from .queries import known_issues, notes_for, visible_build_or_404, visible_builds

CHANGELOG_PAGE_SIZE = 10


def _product_context(product: Product, request: HttpRequest) -> dict[str, Any]:
    holidays = {h.date for h in product.holidays.all()}
    return {
        "product": product,
        "engineer": can_manage(request.user, product),
        "next_cut": next_cut(timezone.now(), product.time_zone, holidays),
    }


def _with_row_panels(request: HttpRequest, listed: list[Build]) -> list[Build]:
    """Each build's panels (its feedback figures), loaded once for the whole list."""
    shown = panels.for_rows("build.row", request, listed)
    for build in listed:
        build.row_panels = shown[build.pk]  # type: ignore[attr-defined]
    return listed


def builds(request: HttpRequest, slug: str) -> HttpResponse:
    product = get_object_or_404(Product, slug=slug)
    channel = request.GET.get("channel")
    if channel not in Channel.values:
        channel = None
    context = _product_context(product, request)
    visible = visible_builds(product, request.user, channel)
    context.update(
        builds=_with_row_panels(request, list(visible[:200])),
        channel=channel,
        channels=Channel.choices,
    )
    return render(request, "releases/builds.html", context)


def _build_page(
    request: HttpRequest,
    build: Build,
    *,
    intro_form: IntroForm | None = None,
    change_forms: dict[int, ChangeForm] | None = None,
    rollout_form: RolloutForm | None = None,
    known_issue_form: KnownIssueForm | None = None,
    status: int = 200,
) -> HttpResponse:
    engineer = can_manage(request.user, build.product)
    notes = notes_for(build)
    context: dict[str, Any] = {
        "product": build.product,
        "build": build,
        "notes": notes,
        "intro_html": render_markdown(notes.intro) if notes.intro else "",
        "engineer": engineer,
        "stable": build.promotions.filter(channel=Channel.STABLE).first(),
        "known_issues": known_issues(build),
        "fans_running": build.installations.count(),
        "running": request.user.is_authenticated
        and build.installations.filter(fan_id=request.user.pk).exists(),
    }
    if engineer:
        context["known_issue_form"] = known_issue_form or KnownIssueForm()
        change_forms = change_forms or {}
        context["intro_form"] = intro_form or IntroForm(initial={"intro": build.notes_intro})
        context["change_forms"] = [
            (
                change,
                change_forms.get(change.pk)
                or ChangeForm(
                    initial={"text": change.text, "kind": change.kind}, prefix=f"c{change.pk}"
                ),
            )
            for change in build.changes.select_related("post").order_by("position", "pk")
        ]
        context["rollout_form"] = rollout_form or RolloutForm(
            initial={"percent": min(build.rollout_percent + 10, 100)}
        )
    context["build_panels"] = panels.for_object("build.detail", request, build)
    return render(request, "releases/build.html", context, status=status)


def build_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _build_page(request, visible_build_or_404(request.user, pk))


def changelog(request: HttpRequest, slug: str) -> HttpResponse:
    product = get_object_or_404(Product, slug=slug)
    page = Paginator(changelog_builds(product), CHANGELOG_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    entries = [
        (build, notes_for(build), render_markdown(build.notes_intro) if build.notes_intro else "")
        for build in page.object_list
    ]
    context = _product_context(product, request)
    context.update(page=page, entries=entries)
    return render(request, "releases/changelog.html", context)


def _engineer_build(request: HttpRequest, pk: int) -> tuple[User, Build]:
    fan = fan_of(request)
    build = visible_build_or_404(request.user, pk)
    if not can_manage(fan, build.product):
        raise PermissionDenied(
            gettext("Only engineers of %(product)s manage its builds.")
            % {"product": build.product.local_name}
        )
    return fan, build


def _simple_action(
    request: HttpRequest, pk: int, act: Callable[[User, Build], Build], done: str
) -> HttpResponse:
    fan, build = _engineer_build(request, pk)
    try:
        result = act(fan, build)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(build)
    messages.success(request, done.format(build=result))
    return redirect(result)


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _simple_action(
        request,
        pk,
        lambda fan, build: publishing.publish_build(by=fan, build=build),
        "Published {build.version}.",
    )


@login_required
@require_POST
def promote(request: HttpRequest, pk: int) -> HttpResponse:
    return _simple_action(
        request,
        pk,
        lambda fan, build: stable.promote_to_stable(by=fan, build=build),
        "{build.version} is now a stable beta (0%). Raise the rollout when it looks good.",
    )


@login_required
@require_POST
def halt(request: HttpRequest, pk: int) -> HttpResponse:
    return _simple_action(
        request,
        pk,
        lambda fan, build: stable.halt_rollout(by=fan, build=build),
        "Rollout halted at {build.rollout_percent}%.",
    )


@login_required
@require_POST
def resume(request: HttpRequest, pk: int) -> HttpResponse:
    return _simple_action(
        request,
        pk,
        lambda fan, build: stable.resume_rollout(by=fan, build=build),
        "Rollout resumed at {build.rollout_percent}%.",
    )


@login_required
@require_POST
def rollout(request: HttpRequest, pk: int) -> HttpResponse:
    fan, build = _engineer_build(request, pk)
    form = RolloutForm(request.POST)
    if form.is_valid():
        try:
            build = stable.set_rollout(by=fan, build=build, percent=form.cleaned_data["percent"])
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(
                request,
                gettext("%(version)s rolls out to %(percent)s%%.")
                % {"version": build.version, "percent": build.rollout_percent},
            )
            return redirect(build)
    return _build_page(request, build, rollout_form=form, status=400)


@login_required
@require_POST
def edit_intro(request: HttpRequest, pk: int) -> HttpResponse:
    fan, build = _engineer_build(request, pk)
    form = IntroForm(request.POST)
    if form.is_valid():
        try:
            publishing.edit_notes(by=fan, build=build, intro=form.cleaned_data["intro"])
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, gettext("Intro saved."))
            return redirect(build)
    return _build_page(request, build, intro_form=form, status=400)


@login_required
@require_POST
def edit_change(request: HttpRequest, pk: int) -> HttpResponse:
    change = get_object_or_404(Change.objects.select_related("build__product"), pk=pk)
    fan, build = _engineer_build(request, change.build_id)
    form = ChangeForm(request.POST, prefix=f"c{change.pk}")
    if form.is_valid():
        try:
            publishing.edit_change(
                by=fan,
                change=change,
                text=form.cleaned_data["text"],
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, gettext("Line saved."))
            return redirect(f"{build.get_absolute_url()}#change-{change.pk}")
    return _build_page(request, build, change_forms={change.pk: form}, status=400)


@login_required
@require_POST
def cut_internal(request: HttpRequest, slug: str) -> HttpResponse:
    product = get_object_or_404(Product, slug=slug)
    build = cuts.cut_internal_build(product=product, at=timezone.now(), by=fan_of(request))
    messages.success(
        request, gettext("Cut internal build %(version)s.") % {"version": build.version}
    )
    return redirect(build)


@login_required
@require_POST
def run(request: HttpRequest, pk: int) -> HttpResponse:
    """A fan says "I run this build": the base of the rollout guard's rate."""
    build = visible_build_or_404(request.user, pk)
    try:
        installations.declare_running(fan=fan_of(request), build=build)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, gettext("Thanks: you run %(version)s.") % {"version": build.version}
        )
    return redirect(build)


@login_required
@require_POST
def mark_known_issue(request: HttpRequest, pk: int) -> HttpResponse:
    fan, build = _engineer_build(request, pk)
    form = KnownIssueForm(request.POST)
    if form.is_valid():
        post = Post.objects.filter(pk=form.cleaned_data["post"]).first()
        if post is None:
            form.add_error("post", "There is no such post.")
        else:
            try:
                issues.mark_known_issue(by=fan, build=build, post=post)
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(
                    request,
                    gettext("“%(post)s” is a known issue of %(version)s.")
                    % {"post": post.title, "version": build.version},
                )
                return redirect(f"{build.get_absolute_url()}#known-issues")
    return _build_page(request, build, known_issue_form=form, status=400)


@login_required
@require_POST
def unmark_known_issue(request: HttpRequest, pk: int, post_id: int) -> HttpResponse:
    fan, build = _engineer_build(request, pk)
    post = get_object_or_404(Post, pk=post_id)
    issues.unmark_known_issue(by=fan, build=build, post=post)
    messages.success(
        request,
        gettext("“%(post)s” is no longer listed for %(version)s.")
        % {"post": post.title, "version": build.version},
    )
    return redirect(f"{build.get_absolute_url()}#known-issues")


def known_issues_box(request: HttpRequest, slug: str) -> HttpResponse:
    """The known issues of the build a fan picks on the new-bug form (an htmx fragment)."""
    product = get_object_or_404(Product, slug=slug)
    build_id = request.GET.get("found_in_build", "")
    build = None
    if build_id.isdigit():
        build = product.builds.for_everyone().filter(pk=int(build_id)).first()
    issues = known_issues(build) if build is not None else []
    return render(request, "releases/_known_issues_box.html", {"build": build, "issues": issues})
