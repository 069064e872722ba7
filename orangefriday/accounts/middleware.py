from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from orangefriday.core.middleware import Handler

from .actions import stamp_token_write


class FanPreferencesMiddleware:
    """A signed-in fan's own language and time zone, for the whole request.

    After LocaleMiddleware (which chose from the switcher's cookie or Accept-Language, and
    says the language in Content-Language on the way out) and after authentication. A
    visitor sees times in TIME_ZONE; the zone is reset after each request because the
    thread serves the next one.
    """

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        zone = ""
        if user.is_authenticated:
            if user.language:
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
            zone = user.time_zone
        if zone:
            timezone.activate(ZoneInfo(zone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class TokenWriteMiddleware:
    """A write through the API with a bearer token stamps the token's last_used_at once the
    view is done (its transaction committed) and before the answer leaves: the fan's next
    read is never one kept from before their write (board.api's kept list of posts). A
    session-signed write is stamped in the session (core.pagecache.ActedMiddleware)."""

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        token_id = getattr(request, "token_written", None)
        # A failed request (the database down, say) must not fail again here.
        if token_id is not None and response.status_code < 500:
            stamp_token_write(token_id)
        return response
