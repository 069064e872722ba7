from django import template
from django.utils.safestring import SafeString

from ..panels import Shown

register = template.Library()


@register.simple_tag(takes_context=True)
def show_panel(context: template.Context, panel: Shown) -> SafeString:
    """`{% show_panel panel %}`: the panel's template, with the page's context and the
    panel's own (like an include with the loader's values)."""
    assert context.template is not None  # only ever called while a template renders
    shown = context.template.engine.get_template(panel.template)
    with context.push(**panel.context):
        return shown.render(context)
