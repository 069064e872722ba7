from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from orangefriday.board.models import Product
from orangefriday.releases.cuts import cut_developer_build, cut_internal_build
from orangefriday.releases.models import Build, Channel
from orangefriday.releases.publishing import publish_build


class Command(BaseCommand):
    help = (
        "Cut a build by hand. `--channel developer` cuts the build of the most recent Friday "
        "whose 17:00 (product time) has come, as the scheduler does; it does nothing if that "
        "build exists (but publishes it if it is still a draft, unless --draft). "
        "`--channel internal` cuts an internal build now."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--product", required=True, metavar="SLUG")
        parser.add_argument(
            "--channel", required=True, choices=[Channel.DEVELOPER, Channel.INTERNAL]
        )
        parser.add_argument(
            "--at",
            metavar="ISO-DATETIME",
            help="Cut as if it were this instant (default: now). Without an offset it is read "
            "in the product's time zone, e.g. 2026-11-27T17:00.",
        )
        parser.add_argument(
            "--draft", action="store_true", help="Cut without publishing (edit the notes first)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        product = Product.objects.filter(slug=options["product"]).first()
        if product is None:
            raise CommandError(f"No product with the slug {options['product']!r}.")
        at = self._instant(options["at"], product) if options["at"] else timezone.now()
        try:
            if options["channel"] == Channel.DEVELOPER:
                cut = cut_developer_build(product=product, at=at)
                if cut.build is None:
                    self.stdout.write(f"No developer build cut: {cut.reason}.")
                    return
                build = cut.build
                verb = "Cut" if cut.created else f"Nothing new to cut ({cut.reason}):"
            else:
                build = cut_internal_build(product=product, at=at)
                verb = "Cut"
            self.stdout.write(f"{verb} {self._describe(build)}")
            if not options["draft"] and build.published_at is None:
                build = publish_build(by=None, build=build)
                pinned = f" and pinned “{build.announcement.title}”" if build.announcement else ""
                self.stdout.write(f"Published {build.version}{pinned}.")
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error

    def _instant(self, value: str, product: Product) -> datetime:
        try:
            at = datetime.fromisoformat(value)
        except ValueError as error:
            raise CommandError(f"--at: {value!r} is not an ISO date-time.") from error
        if at.tzinfo is None:
            at = at.replace(tzinfo=ZoneInfo(product.time_zone))
        return at

    def _describe(self, build: Build) -> str:
        count = build.changes.count()
        week = f", week {build.week_number}" if build.week_number else ""
        return (
            f"{build.product.name} {build.version} ({build.channel}{week}): "
            f"{count} change{'s' if count != 1 else ''}."
        )
