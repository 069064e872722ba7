"""The periodic work, as a small loop of our own: it only enqueues tasks (the `db_worker`
runs them) and moves the trending window. Two schedulers running at once do no harm: every
job is idempotent (one build per Friday, one email per key, the window moves once)."""

import logging
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from orangefriday.feedback.tasks import give_popcorn_awards
from orangefriday.notifications.tasks import deliver_if_pending
from orangefriday.releases.actions import guard_rollouts
from orangefriday.releases.tasks import cut_due_builds
from orangefriday.voting.actions import expire_trending_votes

logger = logging.getLogger(__name__)


@dataclass
class Job:
    name: str
    every: float  # seconds
    run: Callable[[], object]
    next_at: float = 0.0  # wall-clock seconds (time.time())


def minute_jobs(interval: float) -> list[Job]:
    return [
        # Enqueued at the top of each minute, so the Friday build is cut seconds after 17:00.
        Job("cut due builds", interval, cut_due_builds.enqueue),
        # The Popcorn Award of each week whose feedback window closed (Tuesday 24:00).
        Job("give popcorn awards", interval, give_popcorn_awards.enqueue),
        Job("expire trending votes", interval, lambda: expire_trending_votes(now=timezone.now())),
        Job("rollout guard", interval, lambda: guard_rollouts(now=timezone.now())),
        Job("deliver outbox", interval / 2, deliver_if_pending),
    ]


class Command(BaseCommand):
    help = (
        "Run the periodic work until stopped (SIGTERM or Ctrl-C): every minute enqueue the "
        "Friday cut task, move the trending window and run the rollout guard; every 30 s "
        "enqueue email delivery when emails wait."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval",
            type=float,
            default=60.0,
            help="Seconds between rounds of the cut and the trending window (default 60); "
            "email delivery runs twice as often.",
        )
        parser.add_argument("--once", action="store_true", help="Run every job once and exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        interval = options["interval"]
        if interval <= 0:
            interval = 60.0
        jobs = minute_jobs(interval)
        if options["once"]:
            self._run_due(jobs, force=True)
            return
        stop = threading.Event()

        def request_stop(signum: int, frame: FrameType | None) -> None:
            logger.info("Scheduler stopping (signal %s)", signum)
            stop.set()

        previous = {
            sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)
        }
        self.stdout.write(f"Scheduler running every {interval:g} s; stop with Ctrl-C or SIGTERM.")
        try:
            now = time.time()
            for job in jobs:
                # The first round now, then on the wall clock's multiples of the interval.
                job.next_at = now
            while not stop.is_set():
                self._run_due(jobs)
                wait = min(job.next_at for job in jobs) - time.time()
                stop.wait(max(wait, 0.0))
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write("Scheduler stopped.")

    def _run_due(self, jobs: list[Job], force: bool = False) -> None:
        close_old_connections()
        now = time.time()
        for job in jobs:
            if not force and now < job.next_at:
                continue
            try:
                job.run()
            except Exception:  # a failing job must not stop the others or the loop
                logger.exception("Scheduler job %r failed", job.name)
            job.next_at = (now // job.every + 1) * job.every
        close_old_connections()
