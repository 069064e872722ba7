"""Fragments of a page kept rendered in the process's memory, keyed by what they show.

A list page repeats one small template per row (twenty posts, twenty comments); Django's
template engine spends most of a page's time there. A row whose every shown value is the
same as last time renders to the same HTML, so it is kept under a key made of those values
(the row's *version*: its fields, the language, the time zone and the minute, for "3 hours
ago") and rendered again only when one of them changes. Nothing is ever stale: a vote
changes the count, so the key, so the row is rendered anew on the next request.

A kept fragment shows nothing of the viewer. What differs per viewer (the vote button, the
CSRF token) is left as a hole (`hole(name)`) and filled in per request by `fill`. The memory
is per process and bounded (the least recently used fragments are dropped).
"""

import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import Generic, TypeVar

from django.utils.safestring import SafeString, mark_safe

MAX_FRAGMENTS = 20_000
T = TypeVar("T")

# A per-process nonce: no text a fan writes can forge a hole (it would have to guess it,
# and what a fan writes is escaped besides).
_NONCE = secrets.token_hex(8)


def hole(name: str) -> SafeString:
    """A placeholder for a per-viewer part of a kept fragment, filled by `fill`. Letters,
    digits and hyphens only: it comes out of HTML escaping and URL quoting unchanged, so it
    may stand for a value the template escapes (the CSRF token in `{% csrf_token %}`)."""
    return mark_safe(_hole_text(name))


def _hole_text(name: str) -> str:
    # Ends with the nonce too: the hole of "panels-1" is no prefix of that of "panels-17".
    return f"hole-{_NONCE}-{name}-{_NONCE}"


_HOLE = re.compile(_hole_text("([A-Za-z0-9-]+?)"))


def fill(html: str, parts: Mapping[str, str]) -> SafeString:
    """`html` with each hole named in `parts` replaced by its (already safe) HTML; other
    holes stay. One pass over the HTML, however many holes (a kept page has one a row)."""
    return mark_safe(_HOLE.sub(lambda found: parts.get(found[1], found[0]), html))


class Fragments(Generic[T]):
    """A bounded, thread-safe least-recently-used map from a version key to its HTML (or
    to what a kept page is made of, core.pagecache)."""

    def __init__(self, size: int = MAX_FRAGMENTS):
        self.size = size
        self._kept: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, render: Callable[[], T]) -> T:
        found = self.look(key)
        if found is not None:
            return found
        # Rendered outside the lock: two threads may render the same row once each.
        made = render()
        self.keep(key, made)
        return made

    def look(self, key: Hashable) -> T | None:
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
            return found

    def keep(self, key: Hashable, made: T) -> None:
        with self._lock:
            self._kept[key] = made
            self._kept.move_to_end(key)
            if len(self._kept) > self.size:
                self._kept.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()

    def __len__(self) -> int:
        return len(self._kept)
