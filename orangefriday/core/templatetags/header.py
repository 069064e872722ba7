from django import template
from django.utils.safestring import SafeString

from ..pagecache import fan_nav

register = template.Library()


@register.simple_tag(takes_context=True)
def fan_header(context: template.Context) -> SafeString:
    """`{% fan_header %}`: the signed-in fan's part of the header (core.pagecache.fan_nav,
    kept rendered as on a kept page)."""
    return fan_nav(context)
