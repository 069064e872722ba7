from django.apps import AppConfig


class ReputationConfig(AppConfig):
    name = "orangefriday.reputation"

    def ready(self) -> None:
        from orangefriday.core import panels, schedule
        from orangefriday.releases.permissions import add_internal_audience

        from . import (  # noqa: F401  (their @consumer registrations)
            consumers,
            honour,
            leaving,
        )
        from . import panels as shown
        from .tasks import check_tester_duties
        from .testers import is_tester

        # Testers see their product's internal builds (releases asks, one rule for all).
        add_internal_audience(is_tester)
        # Each week's duties once it ends (Sunday 24:00 product time); idempotent.
        schedule.register("tester duties", every=60, run=check_tester_duties.enqueue)
        panels.register("profile", template="reputation/_profile.html", load=shown.profile_points)
        panels.register(
            "build.detail",
            template="reputation/_build_first_testers.html",
            load=shown.build_first_testers,
            order=10,
        )
        panels.register(
            "build.results",
            template="reputation/_build_first_testers.html",
            load=shown.build_first_testers,
        )
