from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "orangefriday.notifications"

    def ready(self) -> None:
        from orangefriday.core import panels, schedule

        from .panels import bell
        from .tasks import deliver_if_pending

        schedule.register("deliver outbox", every=30, run=deliver_if_pending)
        panels.register("base.header", template="notifications/_bell.html", load=bell)
