from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from . import testers
from .models import Programme, Question


class QuizForm(forms.Form):
    """One radio group per question of the programme's quiz (the fields `q<id>`)."""

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in programme.questions.prefetch_related("choices"):
            self.fields[f"q{question.pk}"] = forms.TypedChoiceField(
                label=question.text,
                choices=[(choice.pk, choice.text) for choice in question.choices.all()],
                coerce=int,
                widget=forms.RadioSelect,
            )

    def answers(self) -> dict[int, int]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items()}


# The engineers' editor of the programme and its quiz (testers.write_programme saves both).

# Blank choice rows each question offers (more when a question already has more choices).
CHOICE_SLOTS = 4


class ProgrammeForm(forms.Form):
    places = forms.IntegerField(label=_("Places"), min_value=0, max_value=1_000_000)
    pass_mark = forms.IntegerField(
        label=_("Pass mark (%)"),
        min_value=1,
        max_value=100,
        help_text=_("The share of right answers, in percent, that passes the quiz."),
    )
    is_open = forms.BooleanField(label=_("Open to applications"), required=False)
    intro = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class QuestionForm(forms.Form):
    """One question: its words and up to `slots` choices, each with a "right" box. Blank
    choices are left out."""

    text = forms.CharField(label=_("Question"), max_length=300)

    def __init__(self, *args: Any, slots: int = CHOICE_SLOTS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.slots = range(1, slots + 1)
        for n in self.slots:
            self.fields[f"choice_{n}"] = forms.CharField(
                label=_("Choice %(n)s") % {"n": n}, max_length=200, required=False
            )
            self.fields[f"right_{n}"] = forms.BooleanField(
                label=_("Choice %(n)s is right") % {"n": n}, required=False
            )

    def choice_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"choice_{n}"], self[f"right_{n}"]) for n in self.slots]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for n in self.slots:
            if cleaned.get(f"right_{n}") and not cleaned.get(f"choice_{n}", "").strip():
                self.add_error(f"choice_{n}", _("A right choice needs words."))
        if "text" in cleaned and not self.errors:
            problem = testers.question_problem(self.draft())
            if problem is not None:
                raise forms.ValidationError(problem)
        return cleaned

    def draft(self) -> testers.QuestionDraft:
        data = self.cleaned_data
        return testers.QuestionDraft(
            data["text"],
            [
                (data[f"choice_{n}"].strip(), bool(data[f"right_{n}"]))
                for n in self.slots
                if data.get(f"choice_{n}", "").strip()
            ],
        )

    @staticmethod
    def initial_for(question: Question) -> dict[str, Any]:
        initial: dict[str, Any] = {"text": question.text}
        for n, choice in enumerate(question.choices.all(), start=1):
            initial[f"choice_{n}"], initial[f"right_{n}"] = choice.text, choice.correct
        return initial


class BaseQuestionFormSet(forms.BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["ORDER"].label = _("Position")
        form.fields["DELETE"].label = _("Remove this question")

    def drafts(self) -> list[testers.QuestionDraft]:
        """The questions kept, in the positions given (blank new rows left out)."""
        return [form.draft() for form in self.ordered_forms]


QuestionFormSet = cast(
    type[BaseQuestionFormSet],
    forms.formset_factory(
        QuestionForm,
        formset=BaseQuestionFormSet,
        extra=2,
        can_order=True,
        can_delete=True,
        max_num=50,
        validate_max=True,
    ),
)
