from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def form_limit() -> int:
    """The bytes of text a form may send (DATA_UPLOAD_MAX_MEMORY_SIZE), for core/forms.js."""
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
