"""A page kept rendered for a second or so (the home page, a board, the API's list of
posts), for visitors who carry no cookies and no API token.

A visitor without cookies has no session, no messages and no CSRF token, so the page they
get is the same for all of them: under a rush of visitors (a link on a news site, a build
announced) one render per process per BOARD_CACHE_SECONDS serves them all. Anyone with a
cookie (every fan who is logged in) gets a fresh page, and a response that sets a cookie or
is not a 200 is never stored.
"""

import hashlib
import threading
import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation

View = Callable[..., HttpResponse]


def _key(request: HttpRequest) -> str:
    # Hashed: a long query string must not make an over-long key. A visitor's language
    # comes from Accept-Language (LocaleMiddleware), so each language has its own copy.
    page = f"{translation.get_language()} {request.get_full_path()}"
    return "visitor-page:" + hashlib.sha256(page.encode()).hexdigest()


# While one thread of the process renders a page anew, the others keep serving the copy
# that just went stale instead of all rendering it at once (which stalled a busy process for
# several renders' time, every BOARD_CACHE_SECONDS).
_rendering = threading.Lock()
STALE_FOR_SECONDS = 60


def cached_for_visitors(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        seconds = settings.BOARD_CACHE_SECONDS
        # A bearer token signs an API call in as surely as a session cookie a page.
        signed = request.COOKIES or "Authorization" in request.headers
        if not seconds or request.method != "GET" or signed:
            return view(request, *args, **kwargs)

        def render() -> HttpResponse:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.cookies and not response.streaming:
                stored = (response.content, response["Content-Type"], time.time() + seconds)
                cache.set(key, stored, seconds + STALE_FOR_SECONDS)
            return response

        key = _key(request)
        stored = cache.get(key)
        if stored is None:
            return render()
        content, content_type, fresh_until = stored
        if time.time() >= fresh_until and _rendering.acquire(blocking=False):
            try:
                return render()
            finally:
                _rendering.release()
        return HttpResponse(content, content_type=content_type)

    return wrapper
