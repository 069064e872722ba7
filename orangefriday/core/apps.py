from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "orangefriday.core"

    def ready(self) -> None:
        from . import schedule
        from .converters import register
        from .tasks import dispatch_if_pending

        # Before any app's URLs are read: they use <id:pk>.
        register()
        # The safety net under the dispatcher that each event's commit starts.
        schedule.register("dispatch events", every=60, run=dispatch_if_pending)
