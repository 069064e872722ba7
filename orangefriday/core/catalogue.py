"""The translation catalogues: `locale/<locale>/LC_MESSAGES/django.po`, committed, and their
compiled `.mo`, made at install.

Compiled with polib (pure Python), because Django's `compilemessages` calls GNU gettext's
msgfmt, which a fresh machine lacks: `make install` (and so `make run`) compiles, and needs
no system package. The `.mo` files are not committed: a binary file conflicts at every merge
of two branches that both added strings, while the sorted `.po` merges like any text.
Extracting strings (`manage.py messages`, `make messages`) does need GNU gettext.
"""

from pathlib import Path

import polib
from django.conf import settings

# The languages translated from English, as gettext names their catalogues.
LOCALES = ["zh_Hans"]


def catalogues() -> list[Path]:
    return sorted(Path(settings.LOCALE_PATHS[0]).glob("*/LC_MESSAGES/*.po"))


def drop_creation_date(po: Path) -> None:
    """gettext stamps each extraction into the catalogue's header; two branches that both
    ran it would conflict on that line, so it is left out."""
    lines = po.read_text().splitlines(keepends=True)
    po.write_text("".join(line for line in lines if not line.startswith('"POT-Creation-Date:')))


def compiled(po: Path) -> bytes:
    """The `.mo` of a catalogue: its translated entries (fuzzy and empty ones left out)."""
    return polib.pofile(str(po)).to_binary()


def compile_all() -> list[Path]:
    """Write each catalogue's `.mo` beside it; returns the `.mo` paths."""
    written = []
    for po in catalogues():
        mo = po.with_suffix(".mo")
        mo.write_bytes(compiled(po))
        written.append(mo)
    return written
