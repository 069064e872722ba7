"""What later apps add to the email a published build sends a fan about each of their
shipped posts (feedback asks its voters "did this solve it?" with a signed link), without
releases importing them (imports point one way): each app registers its extra once, in
its AppConfig.ready.

An extra is called once per chunk of the fan-out and language (the active one) as
`extra(build, pairs)` with those fans' (fan id, post id) pairs, and returns the text to
add under each pair's post (pairs it leaves out get nothing), so that it reads what it
needs for all of them at once.
"""

from collections.abc import Callable

from .models import Build

ShipExtra = Callable[[Build, list[tuple[int, int]]], dict[tuple[int, int], str]]
_extras: list[ShipExtra] = []


def add_ship_extra(extra: ShipExtra) -> None:
    if extra not in _extras:
        _extras.append(extra)


def ship_extras(build: Build, pairs: list[tuple[int, int]]) -> dict[tuple[int, int], str]:
    """Every registered app's text for each pair, one app's after another's."""
    joined: dict[tuple[int, int], str] = {}
    for extra in _extras:
        for pair, text in extra(build, pairs).items():
            joined[pair] = f"{joined[pair]}\n{text}" if pair in joined else text
    return joined
