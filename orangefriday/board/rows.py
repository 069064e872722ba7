"""The rows of a list of posts (a board, the home page, search, a fan's profile).

Each row is kept rendered per version of what it shows (core.fragments): every field of the
post and of the rows loaded with it (author, product, category), its search highlight, the
flags of the list, the language, the time zone and the minute ("3 hours ago"). So a row is
rendered again only when something it may show has changed, and a page of twenty rows costs
twenty look-ups. The row's panels (the vote button: the viewer's own state, the CSRF token)
are rendered for each viewer and put into the row's hole.

board/post_row.html is rendered without the request or the viewer: nothing in it may depend
on who looks (that goes into a post.row panel).

On a page kept for all fans (core.pagecache) the row panels are holes, filled per request
by the row panels' loaders from the posts as they are now (`_fill_row_panels`: their
current counts, the fan's marks).
"""

import time
from collections.abc import Hashable, Iterable, Sequence
from functools import cache, partial

from django.db.models import Model
from django.db.models.base import ModelState
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from orangefriday.core import panels as slots
from orangefriday.core.fragments import Fragments, fill, hole
from orangefriday.core.pagecache import leave_hole, register_filler, rendering_skeleton
from orangefriday.core.templatetags.panels import render_panel

from .models import Post

ROW_TEMPLATE = "board/post_row.html"
_rows: Fragments[str] = Fragments()


@cache
def _attnames(model: type[Model]) -> tuple[str, ...]:
    return tuple(field.attname for field in model._meta.concrete_fields)


def _fields(obj: Model | None) -> tuple[Hashable, ...]:
    if obj is None:
        return ()
    # From the instance's own dict: a deferred field is left out instead of loaded.
    values = vars(obj)
    return tuple(values.get(name) for name in _attnames(type(obj)))


def _loaded(obj: Model) -> tuple[Hashable, ...]:
    """The object's fields and those of the rows loaded with it (select_related)."""
    related = obj._state.fields_cache
    return (_fields(obj), tuple((name, _fields(rel)) for name, rel in sorted(related.items())))


def _version(*parts: Hashable) -> tuple[Hashable, ...]:
    version = (
        *parts,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        int(time.time() // 60),  # timesince shows minutes at the finest
    )
    try:
        hash(version)
    except TypeError:  # a field holding a list or a dict (JSON): its text is its version
        return (repr(version),)
    return version


def _render_row(post: Post, flags: dict[str, bool], has_panels: bool) -> str:
    context = {"post": post, **flags, "panels": hole("panels") if has_panels else ""}
    return get_template(ROW_TEMPLATE).render(context)


def render_rows(
    context: Context,
    posts: Iterable[Post],
    *,
    show_vote: bool = False,
    show_product: bool = False,
    pinned_row: bool = False,
) -> SafeString:
    """The `<li>` of each post; with show_vote, its row panels (loaded by the view into
    `post.row_panels`) rendered with the page's context."""
    flags = {"show_vote": show_vote, "show_product": show_product, "pinned_row": pinned_row}
    key_flags = (show_vote, show_product, pinned_row)
    skeleton = show_vote and rendering_skeleton(context["request"]) is not None
    html, holes = [], []
    for post in posts:
        shown: Sequence = getattr(post, "row_panels", ()) if show_vote else ()
        has_panels = bool(shown) or skeleton
        highlight = getattr(post, "search_highlight", None)
        shown_highlight = (str(highlight.title), str(highlight.snippet)) if highlight else None
        row = _rows.get(
            ("post", post.pk, _version(_loaded(post), shown_highlight, key_flags, has_panels)),
            partial(_render_row, post, flags, has_panels),
        )
        if skeleton:
            row = fill(row, {"panels": hole(f"panels-{post.pk}")})
            holes.append(post.pk)
        elif has_panels:
            row = fill(row, {"panels": _panels_html(context, post, shown)})
        html.append(row)
    if holes:
        leave_hole(context["request"], ROW_PANELS, tuple(holes))
    return mark_safe("".join(html))


def _panels_html(context: Context, post: Post, shown: Sequence) -> str:
    return "".join(render_panel(context, panel, post=post) for panel in shown)


ROW_PANELS = "post.row"


def _fill_row_panels(context: Context, post_ids: Hashable) -> dict[str, str]:
    assert isinstance(post_ids, tuple)
    # The posts holding only their ids: a row panel's loader reads what it shows as it is
    # now (voting's: the counts and the fan's marks, in one statement).
    db = Post.objects.db
    posts = [_holding_only_id(pk, db) for pk in post_ids]
    shown = slots.for_rows(ROW_PANELS, context["request"], posts)
    # A post gone since has no panel: no button.
    return {f"panels-{post.pk}": _panels_html(context, post, shown[post.pk]) for post in posts}


def _holding_only_id(pk: int, db: str) -> Post:
    """A post as `.only("id")` loads it (any other field is read from the database when
    asked), made without Model.__init__ and its signals: twenty posts through it were 0.08
    ms of CPU, a twentieth of a kept page; this is 0.004 ms."""
    post = Post.__new__(Post)
    post._state = ModelState()
    post._state.adding, post._state.db = False, db
    post.id = pk
    return post


register_filler(ROW_PANELS, _fill_row_panels)
