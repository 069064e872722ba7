from django.utils import timezone
from django_tasks import task

from .testers import check_duties


@task()
def check_tester_duties() -> int:
    """Remove the testers who missed a week that has ended (Sunday 24:00 product time).
    Enqueued each minute by `manage.py run_scheduler`; idempotent. Returns how many."""
    return check_duties(now=timezone.now())
