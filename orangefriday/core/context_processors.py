from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from . import panels


def header_panels(request: HttpRequest) -> dict[str, Any]:
    """`header_panels`, the base.header slot (the bell), for every page: loaded once, and
    only if the page shows its header (an htmx fragment does not)."""
    return {"header_panels": SimpleLazyObject(lambda: panels.for_object("base.header", request))}
