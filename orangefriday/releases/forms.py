from django import forms
from django.utils.translation import gettext_lazy

from orangefriday.board.forms import post_number

from .models import ChangeKind
from .publishing import CHANGE_TEXT_MAX_LENGTH, INTRO_MAX_LENGTH


class IntroForm(forms.Form):
    intro = forms.CharField(
        label=gettext_lazy("Intro"),
        required=False,
        max_length=INTRO_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Markdown, shown above the notes and in the announcement."),
    )


class ChangeForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Line"), max_length=CHANGE_TEXT_MAX_LENGTH)
    kind = forms.ChoiceField(label=gettext_lazy("Section"), choices=ChangeKind.choices)


class RolloutForm(forms.Form):
    percent = forms.IntegerField(label=gettext_lazy("Roll out to (%)"), min_value=0, max_value=100)


class KnownIssueForm(forms.Form):
    post = forms.CharField(
        max_length=200,
        label=gettext_lazy("Bug report"),
        help_text=gettext_lazy("Its number or its address, e.g. /posts/12/"),
    )

    def clean_post(self) -> int:
        return post_number(self.cleaned_data["post"], "Give the bug report's number or address.")
