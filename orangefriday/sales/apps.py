from django.apps import AppConfig


class SalesConfig(AppConfig):
    name = "orangefriday.sales"

    def ready(self) -> None:
        from orangefriday.core import panels, schedule

        from . import (
            consumers,  # noqa: F401  (registers the consumers)
            leaving,  # noqa: F401  (its part of a fan's data, and of erasing it)
        )
        from .panels import shop_link
        from .tasks import announce_if_due, expire_if_due

        # Holds past their 15 minutes give their unit back; fans hear of a round before it.
        schedule.register("expire sale holds", every=15, run=expire_if_due)
        schedule.register("announce sale rounds", every=60, run=announce_if_due)
        panels.register(
            "base.header", template="sales/_header_link.html", load=shop_link, order=-10
        )
