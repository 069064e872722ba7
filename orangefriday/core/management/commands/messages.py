"""`manage.py messages` (`make messages`): the catalogues regenerated from the code, then
compiled; `--compile-only` compiles (what `make install` does, no GNU gettext needed).

Every engineer who adds a string runs it and translates the new entries of
`locale/zh_Hans/LC_MESSAGES/django.po`. The catalogue is kept merge-friendly: no source
locations (a moved line changes nothing), no line wrapping, entries sorted by message, no
obsolete entries and no fuzzy guesses (a new entry is empty until someone translates it).
"""

from typing import Any

from django.core.management.base import CommandParser
from django.core.management.commands import makemessages

from orangefriday.core.catalogue import LOCALES, catalogues, compile_all, drop_creation_date

Base = makemessages.Command


class Command(Base):
    help = "Regenerate the translation catalogues from the code and compile them."
    xgettext_options = [*Base.xgettext_options, "--sort-output"]
    msgmerge_options = [*Base.msgmerge_options, "--sort-output", "--no-fuzzy-matching"]
    msguniq_options = [*Base.msguniq_options, "--sort-output"]
    msgattrib_options = [*Base.msgattrib_options, "--sort-output"]

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--compile-only", action="store_true", help="Only compile the .po files."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["compile_only"]:
            options.update(
                locale=LOCALES,
                domain="django",
                no_location=True,
                no_wrap=True,
                no_obsolete=True,
                # Collected static files, the local database and docs hold no strings of ours.
                ignore_patterns=[*options["ignore_patterns"], "staticfiles", "var", "docs"],
            )
            super().handle(*args, **options)
            for po in catalogues():
                drop_creation_date(po)
        for mo in compile_all():
            if options["verbosity"] > 1:
                self.stdout.write(f"compiled {mo}")
