"""The tester programme's pages: the programme (rules, places, testers), the quiz, "my
standing" and leaving, and the engineers' editor of the programme and its quiz."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from orangefriday.accounts.models import User, fan_of
from orangefriday.board.models import Product
from orangefriday.core.forms import add_action_errors

from . import testers
from .forms import (
    CHOICE_SLOTS,
    ProgrammeForm,
    QuestionForm,
    QuestionFormSet,
    QuizForm,
)
from .models import Programme
from .rules import DEDUCTION_REASONS


def _programme(slug: str) -> Programme:
    product = get_object_or_404(Product, slug=slug)
    programme = testers.programme_of(product)
    if programme is None:
        raise Http404(_("%(product)s has no tester programme.") % {"product": product.local_name})
    return programme


def rules_context(programme: Programme) -> dict:
    context = testers.published_rules(programme)
    deductions = context["deductions"]
    assert isinstance(deductions, dict)
    context.update(
        programme=programme,
        product=programme.product,
        deductions=[(str(DEDUCTION_REASONS[r]), points) for r, points in deductions.items()],
    )
    return context


def programme_page(request: HttpRequest, slug: str) -> HttpResponse:
    product = get_object_or_404(Product, slug=slug)
    programme = testers.programme_of(product)
    if programme is None:
        context = {"product": product, "can_run": testers.can_run(request.user, product)}
        return render(request, "reputation/no_programme.html", context)
    context = rules_context(programme)
    context["testers"] = testers.testers_of(programme)
    context["can_run"] = testers.can_run(request.user, product)
    if isinstance(request.user, User):
        context["standing"] = testers.standing(programme, request.user, timezone.now())
    return render(request, "reputation/programme.html", context)


@login_required
def quiz(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _programme(slug)
    fan = fan_of(request)
    form = QuizForm(request.POST if request.method == "POST" else None, programme=programme)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                outcome = testers.take_quiz(
                    fan=fan, product=programme.product, answers=form.answers()
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                _tell(request, programme, outcome)
                return redirect("reputation:standing", slug)
        status = 400
    context = rules_context(programme)
    context.update(
        form=form,
        refusal=testers.refusal(programme, fan, timezone.now()),
        attempts_left=testers.standing(programme, fan, timezone.now()).attempts_left,
    )
    return render(request, "reputation/quiz.html", context, status=status)


def _tell(request: HttpRequest, programme: Programme, outcome: testers.Outcome) -> None:
    values = {
        "score": outcome.attempt.score,
        "mark": programme.pass_mark,
        "product": programme.product.local_name,
    }
    if outcome.tester is not None:
        messages.success(
            request,
            _("You scored %(score)s%% and passed: welcome, %(product)s tester!") % values,
        )
    elif outcome.full:
        messages.warning(
            request,
            _("You scored %(score)s%% and passed, but every place is taken for now.") % values,
        )
    else:
        messages.error(request, _("You scored %(score)s%%; the pass mark is %(mark)s%%.") % values)


@login_required
def standing_page(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _programme(slug)
    context = rules_context(programme)
    context["standing"] = testers.standing(programme, fan_of(request), timezone.now())
    return render(request, "reputation/standing.html", context)


@login_required
@require_POST
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _programme(slug)
    try:
        testers.leave(fan=fan_of(request), product=programme.product)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You left the programme."))
    return redirect("reputation:standing", slug)


@login_required
def edit_programme(request: HttpRequest, slug: str) -> HttpResponse:
    """Engineers set up the programme or change it, its quiz included, in one save."""
    product = get_object_or_404(Product, slug=slug)
    if not testers.can_run(request.user, product):
        raise PermissionDenied(
            _("Only engineers of %(product)s run its tester programme.") % {"product": product.name}
        )
    programme = testers.programme_of(product) or Programme(product=product)
    questions = list(programme.questions.prefetch_related("choices")) if programme.pk else []
    slots = max([CHOICE_SLOTS] + [len(q.choices.all()) + 1 for q in questions])
    data = request.POST if request.method == "POST" else None
    form = ProgrammeForm(
        data,
        initial={
            "places": programme.places,
            "pass_mark": programme.pass_mark,
            "is_open": programme.is_open,
            "intro": programme.intro,
        },
    )
    quiz = QuestionFormSet(
        data,
        prefix="q",
        initial=[QuestionForm.initial_for(q) for q in questions],
        form_kwargs={"slots": slots},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid() and quiz.is_valid():
            try:
                testers.write_programme(
                    by=fan_of(request),
                    product=product,
                    questions=quiz.drafts(),
                    **form.cleaned_data,
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("The programme and its quiz are saved."))
                return redirect("reputation:programme", slug)
        status = 400
    context = {"product": product, "programme": programme, "form": form, "quiz": quiz}
    return render(request, "reputation/edit_programme.html", context, status=status)
