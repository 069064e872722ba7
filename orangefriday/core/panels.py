"""Panels: how a later app shows something on an earlier app's page without the earlier
app knowing it (imports and templates point one way, DESIGN.md §3).

A later app registers, from its `AppConfig.ready`, a panel for a named slot: a template and
a loader. The loader gets the request and every object of the page at once (one post on
its page, or the twenty rows of a board) and returns, per object's pk, the context its
template needs; an object it returns nothing for shows no panel. So a list costs one query
per panel, never one per row, and no template queries anything.

    panels.register("post.detail", template="planning/_post_claim.html", load=claims_of)

A loader may put `keep` in an object's context: a hashable made of everything the panel's
template shows (the object's fields, the fan's own state, the page's path). Then the
panel's HTML is kept rendered under it (core.fragments) and only the CSRF token is filled
in per request: a board's twenty vote buttons cost twenty look-ups.

The earlier app's view asks for the slot's panels (`for_object`, `for_rows`) and puts them
in its context; its template prints them with `{% show_panel panel %}`.

Slots (the page that shows them, and what the loader is given):
  post.vote     the post page's vote button          the post
  post.detail   under the post on its page           the post
  post.row      beside each post of a list           the posts (on a fan's kept board only
                                                     their ids: the loader reads the rest)
  comment.row   under each comment on a post's page   the comments
  profile       a fan's page, below their posts      the fan
  settings      the signed-in fan's settings page    the fan
  build.detail  a build's page, above its notes      the build
  build.row     each build of a product's builds     the builds
  build.results a build's results page (feedback)     the build
  team.detail   a team's page                        the team
  base.header   the header of every page             nothing (None)
  post.api      fields of a post in the JSON API     the posts (template "": data only)
"""

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

Loader = Callable[[HttpRequest, Sequence[Any]], Mapping[Any, Mapping[str, Any]]]


@dataclass(frozen=True)
class Panel:
    slot: str
    template: str
    load: Loader
    order: int


@dataclass(frozen=True)
class Shown:
    """One panel to print: its template, the context the loader gave it, and what its HTML
    is kept under (None: rendered each time)."""

    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    keep: Hashable | None = None


_panels: dict[str, list[Panel]] = {}


def register(slot: str, *, template: str, load: Loader, order: int = 100) -> None:
    """Show `template` in `slot` with the context `load` returns per object (lower `order`
    first). Registering the same loader in a slot again replaces it."""
    kept = [p for p in _panels.get(slot, []) if _name(p.load) != _name(load)]
    kept.append(Panel(slot, template, load, order))
    _panels[slot] = sorted(kept, key=lambda p: (p.order, p.template))


def _name(load: Loader) -> str:
    return f"{load.__module__}.{getattr(load, '__qualname__', '')}"


def for_rows(slot: str, request: HttpRequest, objects: Sequence[Any]) -> dict[Any, list[Shown]]:
    """The slot's panels of each object, keyed by its pk: each loader runs once."""
    shown: dict[Any, list[Shown]] = {getattr(obj, "pk", None): [] for obj in objects}
    if not objects:
        return shown
    for panel in _panels.get(slot, []):
        for key, context in panel.load(request, objects).items():
            if key in shown:
                context = dict(context)
                keep = context.pop("keep", None)
                shown[key].append(Shown(panel.template, context, keep))
    return shown


def for_object(slot: str, request: HttpRequest, obj: Any = None) -> list[Shown]:
    """The slot's panels of one object (None for a slot of the page itself)."""
    return for_rows(slot, request, [obj])[getattr(obj, "pk", None)]


def slots() -> dict[str, list[Panel]]:
    """What is registered, for tests and the curious."""
    return {slot: list(panels) for slot, panels in _panels.items()}
