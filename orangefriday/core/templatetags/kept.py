"""`{% fan_part template key %}`: a part of a page that depends on who looks (a vote button,
a comment's edit link). On a page kept for all fans (core.pagecache.kept_for_fans) it is a
hole, which the page's filler fills by rendering the same template for the fan; on any
other page it is that template, rendered where the tag stands."""

import re

from django import template
from django.utils.safestring import SafeString, mark_safe

from ..fragments import hole
from ..pagecache import rendering_skeleton

register = template.Library()


def part_name(template_name: str, key: object = None) -> str:
    """The hole's name of a part: its template's, and the key of the row it belongs to."""
    name = re.sub(r"[^A-Za-z0-9]+", "-", template_name.removesuffix(".html")).strip("-")
    return name if key is None else f"{name}-{key}"


@register.simple_tag(takes_context=True)
def fan_part(context: template.Context, template_name: str, key: object = None) -> SafeString:
    if rendering_skeleton(context["request"]) is not None:
        return hole(part_name(template_name, key))
    assert context.template is not None  # only ever called while a template renders
    return mark_safe(context.template.engine.get_template(template_name).render(context))
