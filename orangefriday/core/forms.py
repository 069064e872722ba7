from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _


def add_action_errors(form: forms.Form, error: ValidationError) -> None:
    """Show an action's ValidationError on the form: on the field it names, else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def error_fields(error: ValidationError) -> list[tuple[str, str]]:
    """(field, message) pairs of a ValidationError, for JSON problem details."""
    if not hasattr(error, "error_dict"):
        return [("", message) for message in error.messages]
    return [
        ("" if field == NON_FIELD_ERRORS else field, message)
        for field, messages in error.message_dict.items()
        for message in messages
    ]


class LongTextField(forms.CharField):
    """A fan's longer text (a body, a comment). Its textarea has no `maxlength`: a browser
    cuts a pasted text at it without a word, and the fan would post half of it. The server
    refuses a text over the limit instead, naming the limit and the length."""

    def __init__(self, *, max_length: int, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.Textarea)
        super().__init__(max_length=max_length, **kwargs)
        self.error_messages["max_length"] = _(
            "This text has at most %(limit_value)s characters; it has %(show_value)s. Shorten it."
        )

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs
