"""The periodic work, as a registry that each app fills from its `AppConfig.ready`:

    schedule.register("rollout guard", every=60, run=lambda: guard_rollouts(now=...))

`manage.py run_scheduler` (core) runs what is registered and imports no app. A job should
only enqueue a task or do a short idempotent step: two schedulers running at once must do
no harm.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Job:
    name: str
    every: float  # seconds, at the default pace of one round a minute
    run: Callable[[], object]


_jobs: dict[str, Job] = {}


def register(name: str, *, every: float, run: Callable[[], object]) -> None:
    """Run `run` every `every` seconds (on the wall clock's multiples of it)."""
    _jobs[name] = Job(name, every, run)


def jobs() -> list[Job]:
    return list(_jobs.values())
