from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


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
