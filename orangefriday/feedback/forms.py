from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from orangefriday.board.models import TITLE_MAX_LENGTH, Post
from orangefriday.releases.models import Change

from .models import COMMENT_MAX_LENGTH, STABILITY_MAX, STABILITY_MIN, Mood

NEW_IDEA = ""


def votes_phrase(count: int) -> str:
    return ngettext("%(n)s vote", "%(n)s votes", count) % {"n": count}


# The changes' and posts' words are the engineers' and fans' own, in their language: the
# lists say so (a browser does not translate them, nor does the language check).
FANS_WORDS = forms.Select(attrs={"translate": "no"})


class ReportForm(forms.Form):
    """The four-grid report. Which changes and posts may be chosen, and that the two changes
    differ, is checked by feedback.actions.file_report (its errors land on these fields)."""

    mood = forms.ChoiceField(label=_("Mood"), choices=Mood.choices, widget=forms.RadioSelect)
    loved = forms.TypedChoiceField(label=_("Most loved change"), coerce=int, widget=FANS_WORDS)
    least_effective = forms.TypedChoiceField(
        label=_("Least effective change"), coerce=int, widget=FANS_WORDS
    )
    wanted_post = forms.TypedChoiceField(
        label=_("Most wanted feature"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=FANS_WORDS,
    )
    wanted_text = forms.CharField(
        label=_("…or a new idea"),
        required=False,
        max_length=TITLE_MAX_LENGTH,
        help_text=_("It becomes an idea on the board that other fans can vote for."),
    )

    def __init__(
        self, *args: object, changes: list[Change], wanted: list[Post], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        pick = [("", gettext("Choose a change"))]
        lines = [(change.pk, change.text) for change in changes]
        self.fields["loved"].choices = pick + lines  # type: ignore[attr-defined]
        self.fields["least_effective"].choices = pick + lines  # type: ignore[attr-defined]
        posts = [(post.pk, f"{post.title} ({votes_phrase(post.votes_count)})") for post in wanted]
        choices = [(NEW_IDEA, gettext("Choose a post, or write a new idea below")), *posts]
        self.fields["wanted_post"].choices = choices  # type: ignore[attr-defined]


class RatingForm(forms.Form):
    stability = forms.TypedChoiceField(
        label=_("Stability"),
        coerce=int,
        choices=[(n, str(n)) for n in range(STABILITY_MIN, STABILITY_MAX + 1)],
        widget=forms.RadioSelect,
        help_text=format_lazy(
            _("{low} = unusable, {high} = rock solid."), low=STABILITY_MIN, high=STABILITY_MAX
        ),
    )


class SolvedForm(forms.Form):
    """ "Did this solve it?" Who asks about what comes from the signed link, not the form."""

    solved = forms.TypedChoiceField(
        label=_("Did it solve it?"),
        choices=[("yes", _("Yes, solved")), ("no", _("No, not solved"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything to add? (optional)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
