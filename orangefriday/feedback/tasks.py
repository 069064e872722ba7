from django_tasks import task

from .actions import give_due_awards


@task()
def give_popcorn_awards() -> list[str]:
    """The Popcorn Award of every developer build whose feedback window has closed, and its
    line in the next week's announcement. Enqueued each minute by `manage.py run_scheduler`;
    harmless to run often or twice (idempotent). Returns "build version: change" per award
    it gave."""
    return [f"{award.build.version}: {award.change.text}" for award in give_due_awards()]
