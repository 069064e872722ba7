"""Telling a person from a script on the public forms, without a CAPTCHA or another site's
script: a honeypot field that people never see (scripts fill every field), and a signed
time stamp of when the form was shown (scripts send it back at once; a person takes a few
seconds to type)."""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy

_SALT = "orangefriday.form-shown-at"
HONEYPOT = "website"
SHOWN_AT = "shown_at"
TOO_FAST = "That was sent quicker than a person can type. Nothing is lost: check it and send again."


def _stamp() -> str:
    return signing.dumps(time.time(), salt=_SALT)


class HumanCheckMixin(forms.Form):
    """Mix into a form; its template renders `form.website` and `form.shown_at` too."""

    website = forms.CharField(
        required=False,
        label=gettext_lazy("Leave this empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    shown_at = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # Every rendering carries a fresh stamp: a form shown again with its errors starts
        # a new count (the fan is already reading it).
        self.initial[SHOWN_AT] = _stamp()
        self._sent_at = self.data.get(SHOWN_AT) if self.is_bound else None
        if self.is_bound:
            data = self.data.copy()  # type: ignore[attr-defined]  # a QueryDict or a dict
            data[SHOWN_AT] = _stamp()
            self.data = data

    @property
    def person_fields(self) -> list[forms.BoundField]:
        """The fields a person fills in (the honeypot and the stamp are rendered apart)."""
        return [f for f in self.visible_fields() if f.name != HONEYPOT]

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound and not self._looks_human(self._sent_at):
            self.add_error(None, TOO_FAST)

    def _looks_human(self, sent: object) -> bool:
        if self.cleaned_data.get(HONEYPOT):
            return False
        minimum = settings.FORM_MIN_FILL_SECONDS
        if minimum <= 0:
            return True
        try:
            shown = float(signing.loads(str(sent or ""), salt=_SALT))
        except (signing.BadSignature, ValueError, TypeError):
            return False
        return time.time() - shown >= minimum
