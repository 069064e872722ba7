from django import forms
from django.utils.translation import gettext_lazy as _

from orangefriday.board.forms import post_number

from .models import REASON_MAX_LENGTH, TEXT_MAX_LENGTH, Action, FlagReason

ORIGINAL_HELP = _("Duplicates: the original's number or address, e.g. 12 or /posts/12/")


def _original_number(value: str) -> int | None:
    if not value.strip():
        return None
    return post_number(value, str(_("Give the original's number or address.")))


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"), choices=FlagReason.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        required=False,
        max_length=TEXT_MAX_LENGTH,
        label=_("What is wrong"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    original = forms.CharField(
        label=_("Original"), required=False, max_length=200, help_text=ORIGINAL_HELP
    )

    def clean_original(self) -> int | None:
        return _original_number(self.cleaned_data["original"])


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Action.APPROVE, _("Approve (clear the flags)")),
            (Action.HIDE, _("Hide")),
            (Action.DELETE, _("Delete")),
            (Action.MERGE, _("Merge as a duplicate")),
            (Action.HIDE_AND_SILENCE, _("Hide and silence the author")),
        ],
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        help_text=_("The fan sees it: “hidden by moderators: spam”."),
    )
    original = forms.CharField(
        label=_("Original"), required=False, max_length=200, help_text=ORIGINAL_HELP
    )
    until = forms.DateTimeField(
        required=False,
        label=_("Silenced until"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def clean_original(self) -> int | None:
        return _original_number(self.cleaned_data["original"])


class SanctionForm(forms.Form):
    what = forms.ChoiceField(
        label=_("Action"),
        choices=[
            ("silence", _("Silence (no posting, commenting, voting or flagging)")),
            ("block", _("Decline and block (silence and hide everything they wrote)")),
            ("suspend", _("Suspend (no log-in)")),
            ("unsilence", _("Lift the silence")),
            ("unsuspend", _("Lift the suspension")),
            ("leader", _("Make a leader (trust level 4)")),
            ("unleader", _("Take the leader level back")),
        ],
    )
    until = forms.DateTimeField(
        label=_("Until"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=REASON_MAX_LENGTH)
