"""`manage.py generate_community [--quick] [--posts N --fans N --votes N ...]`: a generated
community for benchmarks, loaded set-based (see orangefriday.bench.community)."""

import time
from dataclasses import fields, replace
from typing import TextIO, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser

from orangefriday.bench.community import QUICK, Scale, check, generate


class Command(BaseCommand):
    help = "Generate a community of fans, posts and votes for benchmarks (an empty database)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quick", action="store_true", help="the small smoke-test scale")
        for field in fields(Scale):
            parser.add_argument(f"--{field.name.replace('_', '-')}", type=int, default=None)

    def handle(self, *args, **options) -> None:
        scale = QUICK if options["quick"] else Scale()
        scale = replace(
            scale,
            **{f.name: options[f.name] for f in fields(Scale) if options[f.name] is not None},
        )
        self.stdout.write(f"Generating {scale.describe()}")
        started = time.monotonic()
        try:
            generate(scale, out=cast(TextIO, self.stdout._out))
        except ValueError as error:
            raise CommandError(str(error)) from error
        wrong = check(hot=False)["counts_wrong"]
        if wrong:
            raise CommandError(f"{wrong} posts have counts that differ from their vote rows.")
        self.stdout.write(
            f"Generated in {time.monotonic() - started:.1f}s; every post's stored counts"
            " match its vote rows."
        )
