"""`{% icon "bell" %}`: an SVG icon of core/icons, drawn in the text's colour and hidden from
screen readers: the link or heading it sits in carries the words (emoji showed as empty
boxes on systems without an emoji font)."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

ICONS = {"bell", "gear", "person", "popcorn"}


@register.simple_tag
def icon(name: str) -> SafeString:
    if name not in ICONS:
        raise template.TemplateSyntaxError(f"No icon named {name!r}.")
    return mark_safe(render_to_string(f"core/icons/{name}.svg").strip())  # our own file
