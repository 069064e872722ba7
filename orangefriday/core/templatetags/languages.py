from django import template
from django.utils.translation import to_locale

register = template.Library()


@register.filter
def language_tag(code: str) -> str:
    """Django's language code as the BCP 47 tag of `<html lang>`: "zh-hans" -> "zh-Hans"."""
    return to_locale(code).replace("_", "-")
