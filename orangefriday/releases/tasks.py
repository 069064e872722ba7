from django.utils import timezone
from django_tasks import task

from .cuts import cut_and_publish_due_builds


@task()
def cut_due_builds() -> list[str]:
    """The Friday cut: cut and publish every product's due developer build. Enqueued each
    minute by `manage.py run_scheduler`; harmless to run often or twice (idempotent).
    Returns "slug version" of each build it published."""
    return [f"{b.product.slug} {b.version}" for b in cut_and_publish_due_builds(now=timezone.now())]
