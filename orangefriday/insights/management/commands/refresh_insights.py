from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from orangefriday.insights.refresh import refresh_week_figures


class Command(BaseCommand):
    help = "Recompute the insights' weekly counts (the scheduler does the last two weeks)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--weeks",
            type=int,
            default=settings.INSIGHTS_WEEKS,
            help="How many weeks back (default INSIGHTS_WEEKS)",
        )

    def handle(self, *args: Any, weeks: int, **options: Any) -> None:
        written = refresh_week_figures(weeks=max(weeks, 1))
        self.stdout.write(f"Wrote {written} weeks of figures.")
