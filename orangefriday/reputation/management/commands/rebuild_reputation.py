"""`manage.py rebuild_reputation`: recompute every fan's totals and medals from the ledger."""

from django.core.management.base import BaseCommand

from orangefriday.reputation.ledger import rebuild


class Command(BaseCommand):
    help = "Recompute every fan's points totals and medals from the points ledger."

    def handle(self, *args: object, **options: object) -> None:
        done = rebuild()
        self.stdout.write(
            f"{done.totals} totals rebuilt from the ledger, {done.changed} differed from the "
            f"kept ones; {done.medals} medals."
        )
