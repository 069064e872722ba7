"""Times as a fan reads them: in the viewer's zone (the one the accounts middleware
activated: the fan's setting, else UTC), as a date and time or as "3 hours ago"."""

from datetime import datetime

from django import template
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.timesince import timesince
from django.utils.translation import gettext

register = template.Library()

SHOWN = "Y-m-d H:i"


def shown_time(value: datetime) -> str:
    """The date and time in the viewer's zone, e.g. "2026-11-27 17:00"."""
    return dateformat.format(timezone.localtime(value), SHOWN)


@register.simple_tag
def moment(value: datetime | None, ago: bool = False) -> SafeString | str:
    """A `<time>` element: the date and time in the viewer's zone, or how long ago it was
    (the date and time then in its title)."""
    if value is None:
        return ""
    when = shown_time(value)
    if not ago:
        return format_html('<time datetime="{}">{}</time>', value.isoformat(), when)
    # Translators: "3 hours ago"; the time is Django's own translation of "3 hours".
    text = gettext("%(time)s ago") % {"time": timesince(value)}
    return format_html('<time datetime="{}" title="{}">{}</time>', value.isoformat(), when, text)
