"""The language a fan is written to in, away from any request (notifications, emails)."""

from contextlib import AbstractContextManager

from django.conf import settings
from django.utils import translation


def language_of(setting: str) -> str:
    """A fan's language: their setting, else the site's default, as a visitor without an
    Accept-Language would get."""
    return setting or settings.LANGUAGE_CODE


def in_language(setting: str) -> AbstractContextManager[None]:
    """Translate in a fan's language (see `language_of`)."""
    return translation.override(language_of(setting))
