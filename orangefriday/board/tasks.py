from django.utils import timezone
from django_tasks import task

from .scoring import refit_typical_rates


@task()
def refit_rates() -> int:
    """Refit every product's typical vote rate, and rescore its posts when it moved.
    Enqueued hourly by `manage.py run_scheduler`; harmless to run twice. Returns how many
    products were refitted."""
    return refit_typical_rates(now=timezone.now())
