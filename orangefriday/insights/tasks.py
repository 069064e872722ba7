from django_tasks import task

from .refresh import refresh_week_figures


@task()
def refresh_insights() -> int:
    """The insights' weekly counts of the last two weeks (refresh.py). Enqueued every 10
    minutes by `manage.py run_scheduler`; harmless to run twice. Returns the rows written."""
    return refresh_week_figures()
