from django.core.exceptions import ValidationError


class Conflict(ValidationError):
    """Valid input that the current state refuses (a full team, a merged post).

    Still a ValidationError keyed by field, so forms show it where it belongs; the API
    answers 409 instead of 422.
    """


class Refused(ValidationError):
    """Valid input from a fan who may not write it yet (an unverified address, say).

    A ValidationError, so forms show it with what was typed kept; the API answers 403.
    """
