"""Deleting an account: each app erases what it keeps of the fan, inside the deletion's one
transaction (accounts imports no later app, DESIGN.md §3).

An app registers, from its `AppConfig.ready`, a function that takes the fan and whether
they chose to keep their posts and comments:

    erasure.register("notifications", forget_fan)

It deletes the fan's personal rows (follows, addresses, …) and leaves what the community
keeps (votes stay as counts, the points ledger's totals). It runs before accounts blanks
the fan's row, and may raise to refuse the whole deletion.
"""

from collections.abc import Callable

from .models import User

Eraser = Callable[[User, bool], None]
_erasers: dict[str, Eraser] = {}


def register(name: str, erase: Eraser) -> None:
    _erasers[name] = erase


def erase_everywhere(fan: User, *, keep_content: bool) -> None:
    for _name, erase in sorted(_erasers.items()):
        erase(fan, keep_content)
