from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "orangefriday.notifications"

    def ready(self) -> None:
        from orangefriday.core import panels, schedule

        from . import leaving  # noqa: F401  (its part of a fan's data, and of erasing it)
        from .panels import bell, settings_choices
        from .tasks import deliver_if_pending

        schedule.register("deliver outbox", every=30, run=deliver_if_pending)
        panels.register("base.header", template="notifications/_bell.html", load=bell)
        panels.register(
            "settings", template="notifications/_settings.html", load=settings_choices, order=20
        )
