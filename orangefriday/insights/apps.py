from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "orangefriday.insights"

    def ready(self) -> None:
        from orangefriday.core import schedule

        from .tasks import refresh_insights

        # The week's counts that would scan the votes: precomputed, never per request.
        schedule.register("refresh insights", every=600, run=refresh_insights.enqueue)
