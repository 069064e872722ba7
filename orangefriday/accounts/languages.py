"""The language a fan is written to in, and the time zone times are shown in, away from any
request (notifications, emails), as FanPreferencesMiddleware does for a request."""

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone, translation


def language_of(setting: str) -> str:
    """A fan's language: their setting, else the site's default, as a visitor without an
    Accept-Language would get."""
    return setting or settings.LANGUAGE_CODE


def in_language(setting: str) -> AbstractContextManager[None]:
    """Translate in a fan's language (see `language_of`)."""
    return translation.override(language_of(setting))


@contextmanager
def in_fan_zone(setting: str) -> Iterator[None]:
    """Show times in a fan's time zone: their setting, else the site's TIME_ZONE, as a
    visitor would see them."""
    with timezone.override(ZoneInfo(setting) if setting else None):
        yield
