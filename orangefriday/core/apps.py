from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "orangefriday.core"

    def ready(self) -> None:
        from . import schedule
        from .tasks import dispatch_if_pending

        # The safety net under the dispatcher that each event's commit starts.
        schedule.register("dispatch events", every=60, run=dispatch_if_pending)
