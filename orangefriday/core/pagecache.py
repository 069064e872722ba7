"""Pages kept rendered for a second or so (BOARD_CACHE_SECONDS): whole, for visitors who
carry no cookies and no API token (the home page, a board, the API's list of posts); as a
skeleton with holes, for signed-in fans (a board).

A visitor without cookies has no session, no messages and no CSRF token, so the page they
get is the same for all of them: under a rush of visitors (a link on a news site, a build
announced) one render per process per BOARD_CACHE_SECONDS serves them all. A response that
sets a cookie or is not a 200 is never stored.

A signed-in fan's page (`kept_for_fans`) is rendered once per path and query, language and
time zone for all fans, with what is the fan's own left as holes (core.fragments): the
header (name, menu, bell), the CSRF token, and what the page's renderers mark with
`leave_hole` (a board's vote buttons, with their current counts). The holes are filled per
request, always fresh. The skeleton may be up to BOARD_CACHE_SECONDS old, **unless the fan
acted after it was rendered**: every write a fan signed in by a session makes (a POST,
PUT, PATCH or DELETE that succeeds) stamps the time in their session (`ActedMiddleware`);
the session row is read on each of their requests anyway, and it is in the database, so
every process sees it. A skeleton rendered before that stamp is rendered afresh for them.
A fan with messages waiting (the page after posting) gets a page of their own.
"""

import hashlib
import threading
import time
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template import Context, Engine, RequestContext
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from .fragments import Fragments, fill, hole

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


def _renew(stale: bool, render: Callable[[], HttpResponse]) -> HttpResponse | None:
    """A page rendered anew if the kept copy is stale and no other thread of the process is
    rendering one already; None: serve the kept copy."""
    if stale and _rendering.acquire(blocking=False):
        try:
            return render()
        finally:
            _rendering.release()
    return None


def _keepable(response: HttpResponse) -> bool:
    return response.status_code == 200 and not response.cookies and not response.streaming


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
            if _keepable(response):
                stored = (response.content, response["Content-Type"], time.time() + seconds)
                cache.set(key, stored, seconds + STALE_FOR_SECONDS)
            return response

        key = _key(request)
        stored = cache.get(key)
        if stored is None:
            return render()
        content, content_type, fresh_until = stored
        return _renew(time.time() >= fresh_until, render) or HttpResponse(
            content, content_type=content_type
        )

    return wrapper


# A fan's holes. A renderer of a kept page names the kind of hole it leaves and what filling
# it needs (ids, nothing of the request); the app that fills it registers a filler, given a
# context with the fan's request and the arguments, that returns the HTML of each hole.
Filler = Callable[[Context, Hashable], Mapping[str, str]]
_fillers: dict[str, Filler] = {}

FAN_NAV = "core/_fan_nav.html"
ACTED_KEY = "_acted_at"
MAX_PAGES = 2_000


def register_filler(kind: str, filler: Filler) -> None:
    _fillers[kind] = filler


@dataclass
class Skeleton:
    """A fan's page rendered for all fans: its HTML with holes and what fills them."""

    rendered_at: float
    holes: list[tuple[str, Hashable]] = field(default_factory=list)
    # Which fans the copy may be served to (`keep_only_for`); every fan unless the view says.
    serves: Callable[[HttpRequest], bool] = lambda request: True
    content: bytes = b""
    content_type: str = ""


_pages: Fragments[Skeleton] = Fragments(MAX_PAGES)


def rendering_skeleton(request: HttpRequest) -> Skeleton | None:
    """The skeleton being rendered by this request, if it is one (its holes are recorded)."""
    return getattr(request, "_skeleton", None)


def leave_hole(request: HttpRequest, kind: str, args: Hashable) -> None:
    """Record that the skeleton being rendered has holes of `kind`, filled from `args`."""
    skeleton = rendering_skeleton(request)
    assert skeleton is not None, "a hole is left only while a skeleton renders"
    skeleton.holes.append((kind, args))


def keep_only_for(request: HttpRequest, serves: Callable[[HttpRequest], bool]) -> None:
    """The skeleton being rendered may be served only to the fans `serves` is true for
    (a post's page: not to those who moderate it, whose page has their own forms); for a
    fan it is not for, the view renders their own page. If the fan whose request renders it
    is not one of them, it is filled for them and not kept."""
    skeleton = rendering_skeleton(request)
    assert skeleton is not None, "only while a skeleton renders"
    skeleton.serves = serves


def _filled(request: HttpRequest, skeleton: Skeleton, response: HttpResponse) -> HttpResponse:
    """A response rendered as a skeleton but not kept (a tombstone, a page for this fan
    only): its holes filled for this fan, its status and headers as they were."""
    if not response.streaming and response.content:
        skeleton.content, skeleton.content_type = response.content, response["Content-Type"]
        response.content = _fill(request, skeleton).content
    return response


def skeleton_context(request: HttpRequest) -> dict[str, object]:
    """A context processor: while a skeleton renders, the fan's header and CSRF token are
    holes (core/base.html)."""
    if rendering_skeleton(request) is None:
        return {}
    return {"fan_nav": hole("fan-nav"), "csrf_token": hole("csrf")}


_fan_navs: Fragments[str] = Fragments()


def fan_nav(context: Context) -> SafeString:
    """The signed-in fan's part of the header (FAN_NAV), on every page of theirs. Kept
    rendered per language, fan (their name and username) and what the header's panels show
    (the bell's count: their `keep`), with the page's CSRF token filled in; rendered each
    time if a header panel gives no `keep`."""
    template = Engine.get_default().get_template(FAN_NAV)
    panels = context.get("header_panels") or ()  # none without its processor, as before
    if any(panel.keep is None for panel in panels):
        return mark_safe(template.render(context))

    def render() -> str:
        with context.push(csrf_token=hole("csrf")):
            return template.render(context)

    user = context["user"]
    keeps = tuple((panel.template, panel.keep) for panel in panels)
    key = (translation.get_language(), user.username, user.shown_name, keeps)
    return fill(_fan_navs.get(key, render), {"csrf": str(context["csrf_token"])})


def _fill(request: HttpRequest, skeleton: Skeleton) -> HttpResponse:
    context = RequestContext(request)
    with context.bind_template(Engine.get_default().get_template(FAN_NAV)):
        # The context processors ran once for the page. Its token: one value, the same in
        # each of its forms (the csrf processor's).
        parts = {"csrf": str(context["csrf_token"]), "fan-nav": fan_nav(context)}
        for kind, args in skeleton.holes:
            parts.update(_fillers[kind](context, args))
    content = fill(skeleton.content.decode(), parts)
    return HttpResponse(content, content_type=skeleton.content_type)


def _signed_in_by_session(request: HttpRequest) -> bool:
    return request.user.is_authenticated and SESSION_KEY in request.session


def kept_for_fans(view: View) -> View:
    """Serve signed-in fans a skeleton kept for BOARD_CACHE_SECONDS with their own parts
    filled in (see the module's docstring); anyone else gets the view itself."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        seconds = settings.BOARD_CACHE_SECONDS
        if (
            not seconds
            or request.method != "GET"
            or not _signed_in_by_session(request)
            or len(messages.get_messages(request))
        ):
            return view(request, *args, **kwargs)

        def render() -> HttpResponse:
            skeleton = Skeleton(rendered_at=time.time())
            request._skeleton = skeleton  # type: ignore[attr-defined]
            try:
                response = view(request, *args, **kwargs)
            finally:
                del request._skeleton  # type: ignore[attr-defined]
            if not _keepable(response) or not skeleton.serves(request):
                return _filled(request, skeleton, response)
            skeleton.content, skeleton.content_type = response.content, response["Content-Type"]
            _pages.keep(key, skeleton)
            return _fill(request, skeleton)

        key = (
            request.get_full_path(),
            translation.get_language(),
            timezone.get_current_timezone_name(),
        )
        kept = _pages.look(key)
        if kept is not None and not kept.serves(request):
            return view(request, *args, **kwargs)
        if kept is None or request.session.get(ACTED_KEY, 0) >= kept.rendered_at:
            return render()
        if time.time() - kept.rendered_at >= seconds + STALE_FOR_SECONDS:
            return render()
        return _renew(time.time() - kept.rendered_at >= seconds, render) or _fill(request, kept)

    return wrapper


def forget_kept_pages() -> None:
    """Tests: no fan's page or header kept from an earlier test."""
    _pages.clear()
    _fan_navs.clear()


class ActedMiddleware:
    """Stamps the time of a signed-in fan's every successful write in their session: their
    next page is never a skeleton rendered before it (kept_for_fans). After the session
    and authentication middleware. A write through the API with a token has no session."""

    def __init__(self, get_response: View):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.method not in ("GET", "HEAD", "OPTIONS")
            and response.status_code < 400
            and SESSION_KEY in getattr(request, "session", {})
        ):
            request.session[ACTED_KEY] = time.time()
        return response
