from django import forms

from orangefriday.board.forms import post_number

from .models import ChangeKind
from .publishing import CHANGE_TEXT_MAX_LENGTH, INTRO_MAX_LENGTH


class IntroForm(forms.Form):
    intro = forms.CharField(
        label="Intro",
        required=False,
        max_length=INTRO_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Markdown, shown above the notes and in the announcement.",
    )


class ChangeForm(forms.Form):
    text = forms.CharField(label="Line", max_length=CHANGE_TEXT_MAX_LENGTH)
    kind = forms.ChoiceField(label="Section", choices=ChangeKind.choices)


class RolloutForm(forms.Form):
    percent = forms.IntegerField(label="Roll out to (%)", min_value=0, max_value=100)


class KnownIssueForm(forms.Form):
    post = forms.CharField(
        max_length=200,
        label="Bug report",
        help_text="Its number or its address, e.g. /posts/12/",
    )

    def clean_post(self) -> int:
        return post_number(self.cleaned_data["post"], "Give the bug report's number or address.")
