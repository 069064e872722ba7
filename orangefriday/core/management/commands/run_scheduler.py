"""The periodic work, as a small loop of our own over the jobs the apps registered in
`core.schedule` (each from its AppConfig.ready): they enqueue tasks (the `db_worker` runs
them) or take one short idempotent step. Two schedulers running at once do no harm: every
job is idempotent (one build per Friday, one email per key, the window moves once)."""

import logging
import signal
import threading
import time
from dataclasses import dataclass
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from orangefriday.core import schedule

logger = logging.getLogger(__name__)


@dataclass
class Due:
    job: schedule.Job
    every: float  # seconds, at this scheduler's pace
    next_at: float = 0.0  # wall-clock seconds (time.time())


def due_jobs(interval: float) -> list[Due]:
    """The registered jobs at a pace of one round per `interval` seconds (60 by default)."""
    return [Due(job, job.every * interval / 60) for job in schedule.jobs()]


class Command(BaseCommand):
    help = (
        "Run the periodic work the apps registered until stopped (SIGTERM or Ctrl-C): every "
        "minute the Friday cut, the Popcorn Award, the trending window, the rollout guard and "
        "the event dispatcher's safety net; every 30 s email delivery when emails wait."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval",
            type=float,
            default=60.0,
            help="Seconds between rounds of the minute jobs (default 60); every job keeps "
            "its pace relative to them (email delivery runs twice as often).",
        )
        parser.add_argument("--once", action="store_true", help="Run every job once and exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        interval = options["interval"]
        if interval <= 0:
            interval = 60.0
        jobs = due_jobs(interval)
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

    def _run_due(self, jobs: list[Due], force: bool = False) -> None:
        close_old_connections()
        now = time.time()
        for job in jobs:
            if not force and now < job.next_at:
                continue
            try:
                job.job.run()
            except Exception:  # a failing job must not stop the others or the loop
                logger.exception("Scheduler job %r failed", job.job.name)
            job.next_at = (now // job.every + 1) * job.every
        close_old_connections()
