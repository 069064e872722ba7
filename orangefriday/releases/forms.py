from django import forms

from .actions import CHANGE_TEXT_MAX_LENGTH, INTRO_MAX_LENGTH
from .models import ChangeKind


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
