from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from orangefriday.accounts.models import User, fan_of
from orangefriday.core import panels
from orangefriday.core.errors import Conflict
from orangefriday.core.forms import add_action_errors
from orangefriday.releases.models import Build
from orangefriday.releases.queries import visible_build_or_404

from . import actions
from .charts import bar_chart, histogram, line_chart
from .forms import RatingForm, ReportForm, SolvedForm
from .models import STABILITY_MAX, Rating, Report
from .queries import (
    WANTED_CHOICES,
    Bar,
    Question,
    Results,
    answer_figures,
    asked_question,
    build_results,
    next_window,
    wanted_candidates,
)
from .solved import Figures, read_token


def _bars(bars: list[Bar]) -> Any:
    return bar_chart([(bar.label, bar.count, bar.url) for bar in bars])


def charts(found: Results) -> dict[str, Any]:
    """The results as chart shapes (see charts.py)."""
    return {
        "moods": _bars(found.moods),
        "loved": _bars(found.loved),
        "least_effective": _bars(found.least_effective),
        "wanted": _bars(found.wanted),
        "stability": histogram(found.stability_labels, found.stability),
        "trend": line_chart(
            [(build.version, summary.average) for build, summary in found.trend],
            top=STABILITY_MAX,
            current=len(found.trend) - 1,
            grid=(5, 10),
        ),
    }


def _forms(request: HttpRequest, build: Build) -> dict[str, Any]:
    """The fan's report and rating forms, filled with what they said before."""
    user = request.user
    if not isinstance(user, User):
        return {}
    report = Report.objects.filter(fan=user, build=build).first()
    rating = Rating.objects.filter(fan=user, build=build).first()
    report_initial = {}
    if report is not None:
        report_initial = {
            "mood": report.mood,
            "loved": report.loved_id,
            "least_effective": report.least_effective_id,
            "wanted_post": report.wanted_id,
        }
    return {
        "report_form": _report_form(build, initial=report_initial),
        "rating_form": RatingForm(initial={"stability": rating.stability} if rating else None),
        "my_report": report,
        "my_rating": rating,
    }


def _report_form(build: Build, **kwargs: Any) -> ReportForm:
    wanted = list(wanted_candidates(build.product)[:WANTED_CHOICES])
    chosen = kwargs.get("initial", {}).get("wanted_post")
    if chosen is not None and chosen not in {post.pk for post in wanted}:
        # The post named before stays choosable even when it is no longer among the top.
        wanted += list(wanted_candidates(build.product).filter(pk=chosen))
    changes = list(build.changes.order_by("position", "pk"))
    return ReportForm(changes=changes, wanted=wanted, **kwargs)


def _results_page(
    request: HttpRequest, build: Build, status: int = 200, **forms: Any
) -> HttpResponse:
    found = build_results(build)
    now = timezone.now()
    window_open = found.closes is not None and now < found.closes
    context: dict[str, Any] = {
        "product": build.product,
        "build": build,
        "results": found,
        "charts": charts(found),
        "window_open": window_open,
        "next_window": None if window_open else next_window(build.product, now),
        "results_panels": panels.for_object("build.results", request, build),
        **_forms(request, build),
        **forms,
    }
    return render(request, "feedback/results.html", context, status=status)


def results(request: HttpRequest, pk: int) -> HttpResponse:
    """A build's results, public: the four-grid reports, stability, the award."""
    return _results_page(request, visible_build_or_404(request.user, pk))


@login_required
@require_POST
def report(request: HttpRequest, pk: int) -> HttpResponse:
    build = visible_build_or_404(request.user, pk)
    form = _report_form(build, data=request.POST)
    if form.is_valid():
        try:
            actions.file_report(fan=fan_of(request), build=build, **form.cleaned_data)
        except Conflict as error:
            # The window closed while the fan wrote: the page no longer has the form.
            messages.error(request, " ".join(error.messages))
            return redirect("feedback:results", pk)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(
                request,
                gettext("Your four-grid report on %(version)s is saved.")
                % {"version": build.version},
            )
            return redirect(reverse("feedback:results", args=[pk]) + "#your-feedback")
    return _results_page(request, build, status=400, report_form=form)


@login_required
@require_POST
def rating(request: HttpRequest, pk: int) -> HttpResponse:
    build = visible_build_or_404(request.user, pk)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            actions.rate_build(
                fan=fan_of(request), build=build, stability=form.cleaned_data["stability"]
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(
                request, f"You rated {build.version} {form.cleaned_data['stability']}/10."
            )
            return redirect(reverse("feedback:results", args=[pk]) + "#your-feedback")
    return _results_page(request, build, status=400, rating_form=form)


def _answer_page(
    request: HttpRequest, question: Question, form: SolvedForm, status: int = 200
) -> HttpResponse:
    figures = answer_figures([(question.post.pk, question.build.pk)])
    context = {
        "question": question,
        "form": form,
        "open": timezone.now() < question.closes,
        "figures": figures.get((question.post.pk, question.build.pk), Figures()),
        "product": question.build.product,
    }
    return render(request, "feedback/solved.html", context, status=status)


# The link in the build's email, and the form of the in-app question: the signed token says
# who answers about what, so it works logged out. GET only shows the question (a link
# scanner answers nothing); POST answers.
@require_http_methods(["GET", "POST"])
def solved(request: HttpRequest, token: str) -> HttpResponse:
    asked = read_token(token)
    question = asked_question(asked) if asked is not None else None
    if question is None:
        return render(request, "feedback/solved_invalid.html", status=400)
    if request.method == "GET":
        answer = question.answer
        chosen = request.GET.get("answer")
        if chosen not in ("yes", "no"):
            chosen = None if answer is None else ("yes" if answer.solved else "no")
        initial = {"solved": chosen, "comment": answer.comment if answer else ""}
        return _answer_page(request, question, SolvedForm(initial=initial))
    form = SolvedForm(request.POST)
    if form.is_valid():
        fan = User.objects.get(pk=question.fan_id)
        try:
            actions.answer_solved(
                fan=fan, post=question.post, build=question.build, **form.cleaned_data
            )
        except ValidationError as error:  # Conflict (closed) and RateLimited too
            add_action_errors(form, error)
        else:
            messages.success(request, gettext("Thank you: your answer is saved."))
            back = request.POST.get("next", "")
            if url_has_allowed_host_and_scheme(back, {request.get_host()}):
                return redirect(back)
            return redirect("feedback:solved", token)
    return _answer_page(request, question, form, status=400)
