from django import template
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from ..fragments import Fragments, fill, hole
from ..panels import Shown

register = template.Library()

_kept: Fragments[str] = Fragments()


def render_panel(context: template.Context, panel: Shown, **extra: object) -> SafeString:
    """The panel's template, with the page's context and the panel's own (like an include
    with the loader's values); `extra` for the object it belongs to (a row's post). A panel
    with `keep` is rendered once per keep, language and time zone, with a hole for the
    page's CSRF token (core.panels)."""
    assert context.template is not None  # only ever called while a template renders
    shown = context.template.engine.get_template(panel.template)
    if panel.keep is None:
        with context.push(**extra, **panel.context):
            return shown.render(context)

    def render() -> str:
        with context.push(**extra, **panel.context, csrf_token=hole("csrf")):
            return shown.render(context)

    key = (
        panel.template,
        panel.keep,
        translation.get_language(),
        timezone.get_current_timezone_name(),
    )
    html = _kept.get(key, render)
    if hole("csrf") not in html:  # a visitor's page carries no token (core.pagecache)
        return mark_safe(html)
    # The page's token: one lazy value per page, the same in each of its forms.
    return fill(html, {"csrf": str(context.get("csrf_token", ""))})


@register.simple_tag(takes_context=True)
def show_panel(context: template.Context, panel: Shown) -> SafeString:
    """`{% show_panel panel %}`: the panel, rendered where the tag stands."""
    return render_panel(context, panel)
