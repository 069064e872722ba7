"""The site's error pages (404, 403, 400, 500 and a refused CSRF token), in the site's frame
with a way back; the API's requests get problem details instead, never a page.

They live in board because the way back names the board the fan was on; the 500 page
reads nothing from the database and knows no fan (it must render when either is broken).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost, RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.template.defaultfilters import filesizeformat
from django.urls import Resolver404, resolve

from orangefriday.core.api import is_api_request, problem_response

from .models import Product

PAGES = {
    400: ("This request could not be read", "Something in it was malformed or unsafe."),
    403: ("You may not do that", "This page or action is not open to your account."),
    404: ("This page does not exist", "The link may be old, or what it pointed to is gone."),
    413: ("That was too much to send", ""),
    500: (
        "Something went wrong on our side",
        "The error has been logged. Please try again in a moment.",
    ),
}
CSRF_MESSAGE = (
    "The form had been open too long, or your browser blocked our cookie. Go back, reload "
    "the page and send it again."
)


def _board_of(path: str) -> Product | None:
    """The product whose board a page belongs to (/p/<slug>/…, a post's pages), also for a
    path that does not exist below one that does (/p/<slug>/no-such-page/)."""
    parts = path.strip("/").split("/")
    for end in range(len(parts), 0, -1):
        try:
            match = resolve("/" + "/".join(parts[:end]) + "/")
        except Resolver404:
            continue
        if "slug" in match.kwargs:
            return Product.objects.filter(slug=match.kwargs["slug"]).first()
        if match.namespace == "board" and "pk" in match.kwargs:
            return Product.objects.filter(posts__pk=match.kwargs["pk"]).first()
        return None
    return None


def referring_path(request: HttpRequest) -> str | None:
    """The page of this site the fan came from, as a local path (never another site's)."""
    referer = urlsplit(request.headers.get("Referer", ""))
    try:
        host = request.get_host()
    except DisallowedHost:  # the 400 for a bad Host header itself
        return None
    if referer.netloc != host or not referer.path.startswith("/"):
        return None
    path = referer.path + (f"?{referer.query}" if referer.query else "")
    # A form posts to its own page, which is then the way back; a page that failed to load
    # is not.
    if request.method in ("GET", "HEAD") and path == request.get_full_path():
        return None
    return path


def _page(
    request: HttpRequest, status: int, message: str = "", *, database: bool = True
) -> HttpResponse:
    if is_api_request(request):
        return problem_response(status, message or PAGES[status][1])
    title, default = PAGES[status]
    back = referring_path(request)
    board = None
    if database:
        board = _board_of(request.path) or (_board_of(back.split("?")[0]) if back else None)
    context = {"status": status, "title": title, "message": message or default}
    context.update(back=back, board=board)
    # Without the request the template gets no context processors: no fan, no session,
    # no query, for the 500 page.
    html = loader.render_to_string("core/error.html", context, request if database else None)
    return HttpResponse(html, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        limit = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        return _page(
            request,
            413,
            f"A form may send at most {limit} of text (attached files aside). Nothing was "
            "saved. Go back to your form: your browser kept what you typed (choose any file "
            "again), shorten the longest text and send it again.",
        )
    return _page(request, 400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    # Our PermissionDenied messages are written for fans ("Only engineers of … ship posts").
    return _page(request, 403, str(exception))


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _page(request, 500, database=False)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _page(request, 403, CSRF_MESSAGE)
