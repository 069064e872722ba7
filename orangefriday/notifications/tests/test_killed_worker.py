"""Real worker processes (`manage.py db_worker`) sending through a real SMTP server.

A worker SIGKILLed in the middle of a batch and started again loses no email and sends at
most one twice; two workers side by side never send the same email. The SMTP server takes
50 ms per message, so that a kill lands in the middle of the work. A worker SIGKILLed in
the middle of a build's fan-out (three fans per chunk in these workers' settings) resumes
at the chunk it was in: every voter gets exactly one notification.
"""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from orangefriday.accounts.models import User
from orangefriday.board.actions import create_post
from orangefriday.core.models import Handling
from orangefriday.core.testing.smtp import SmtpServer
from orangefriday.notifications.models import Notification, OutboxEmail
from orangefriday.notifications.tasks import deliver_outbox
from orangefriday.voting.models import Vote

from .conftest import make_build, record_published, tell_build

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

FANS = 40
SMTP_SECONDS_PER_MESSAGE = 0.05
WORKER = [sys.executable, "manage.py", "db_worker"]


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    if connection.vendor == "postgresql":
        password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
        host = db.get("HOST") or "localhost"
        port = f":{db['PORT']}" if db.get("PORT") else ""
        return f"postgres://{quote(db['USER'], safe='')}{password}@{host}{port}/{db['NAME']}"
    pytest.skip(f"no worker database URL for {connection.vendor}")


class Workers:
    """Starts `manage.py db_worker` processes against the test database and the SMTP server."""

    def __init__(self, smtp: SmtpServer, logs: Path) -> None:
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "orangefriday.notifications.tests.worker_settings",
            "DATABASE_URL": database_url(),
            "EMAIL_HOST": smtp.host,
            "EMAIL_PORT": str(smtp.port),
            "DEBUG": "0",
        }
        self.logs = logs
        self.started: list[subprocess.Popen] = []

    def start(self) -> subprocess.Popen:
        log = open(self.logs / f"worker-{len(self.started)}.log", "wb")  # noqa: SIM115
        process = subprocess.Popen(
            [*WORKER, "--no-startup-delay", "--no-reload", "--interval", "0.05"],
            cwd=settings.BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        self.started.append(process)
        return process

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.started:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def output(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}"
            for path in sorted(self.logs.glob("worker-*.log"))
        )


@pytest.fixture
def workers(smtp_server: SmtpServer, tmp_path: Path) -> Iterator[Workers]:
    smtp_server.recorder.delay = SMTP_SECONDS_PER_MESSAGE
    started = Workers(smtp_server, tmp_path)
    try:
        yield started
    finally:
        started.stop_all()  # before the test database is flushed or dropped


def wait_until(condition: Callable[[], bool], timeout: float, what: str, workers: Workers) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}\n{workers.output()}")
        time.sleep(0.02)


@pytest.fixture
def published_build(alice, recorder) -> set[str]:
    """A build whose one shipped post has FANS voters (and alice, its author); returns the
    addresses that must each receive the build's email."""
    post = create_post(author=alice, product=recorder, kind="idea", title="Mute while recording")
    fans = User.objects.bulk_create(
        User(
            username=f"fan{i:02d}",
            email=f"fan{i:02d}@example.org",
            email_verified_at=timezone.now(),
        )
        for i in range(FANS)
    )
    Vote.objects.bulk_create(Vote(fan=fan, post=post) for fan in fans)
    tell_build(make_build(recorder, "26.11.27", [post]))
    expected = set(OutboxEmail.objects.values_list("fan__email", flat=True))
    assert len(expected) == FANS + 1
    return expected


def pending() -> int:
    return OutboxEmail.objects.filter(sent_at__isnull=True).count()


@pytest.mark.parametrize("kills", [1, 2])
def test_a_killed_worker_loses_nothing_and_sends_at_most_one_duplicate_per_kill(
    smtp_server, workers, published_build, kills
):
    def received_at_least(count: int) -> Callable[[], bool]:
        return lambda: len(smtp_server.messages()) >= count

    for _ in range(kills):
        worker = workers.start()
        goal = len(smtp_server.messages()) + 6
        wait_until(received_at_least(goal), 15, "some emails", workers)
        worker.kill()  # SIGKILL: no clean-up of any kind
        worker.wait()
        assert pending() > 0, "the kill should land in the middle of the work"
    # The killed runs stay "running" for ever as far as django-tasks is concerned: what
    # resumes their work is the follow-up run each of them queued when it started.
    assert DBTaskResult.objects.filter(status="RUNNING").count() == kills

    workers.start()
    wait_until(lambda: pending() == 0, 20, "the outbox to empty", workers)

    received = smtp_server.messages()
    assert {r.to[0] for r in received} == published_build  # nobody was left out
    copies = Counter(r.message["Message-ID"] for r in received)
    duplicates = sum(n - 1 for n in copies.values())
    assert duplicates <= kills, workers.output()
    assert all(
        r.message["Subject"] == "Shipped in Sound Recorder 26.11.27: Mute while recording"
        for r in received
    )


def test_two_workers_side_by_side_never_send_the_same_email(smtp_server, workers, published_build):
    deliver_outbox.enqueue()  # a second run, so that each worker has one to work on
    workers.start()
    workers.start()
    wait_until(lambda: pending() == 0, 20, "the outbox to empty", workers)

    received = smtp_server.messages()
    assert sorted(r.to[0] for r in received) == sorted(published_build)  # each exactly once
    connections = Counter(r.peer for r in received)
    assert len(connections) == 2, f"both workers should have sent some: {connections}"


FANOUT_FANS = 240


@pytest.mark.parametrize("kills", [1, 2])
def test_a_worker_killed_in_the_middle_of_a_fan_out_resumes_at_its_chunk(
    smtp_server, workers, alice, recorder, kills
):
    smtp_server.recorder.delay = 0.0
    post = create_post(author=alice, product=recorder, kind="idea", title="Mute while recording")
    fans = User.objects.bulk_create(
        User(username=f"voter{i:03d}", email=f"voter{i:03d}@example.org")
        for i in range(FANOUT_FANS)
    )
    Vote.objects.bulk_create(Vote(fan=fan, post=post) for fan in fans)
    build = make_build(recorder, "26.11.27", [post])
    record_published(build)  # commits: the dispatcher task is queued on commit

    def fan_out() -> Handling | None:
        return Handling.objects.filter(consumer="releases.tell_voters_and_followers").first()

    def moved_past(reached: int | None) -> Callable[[], bool]:
        def moved() -> bool:
            handling = fan_out()
            return handling is not None and handling.cursor not in (None, reached)

        return moved

    cursors: list[int] = []
    for _ in range(kills):
        handling = fan_out()
        reached = handling.cursor if handling else None
        worker = workers.start()
        wait_until(moved_past(reached), 20, "the fan-out to move on", workers)
        worker.kill()  # SIGKILL, between two chunks or in the middle of one
        worker.wait()
        handling = fan_out()
        assert handling is not None and not handling.done, "the kill should land mid-way"
        assert handling.cursor is not None
        cursors.append(handling.cursor)
        told = Notification.objects.filter(build=build).count()
        assert 0 < told < FANOUT_FANS + 1

    workers.start()  # takes the work up once the dead worker's lease has run out
    # The fan-out's own handling: other apps' consumers of the event finish sooner.
    wait_until(lambda: bool(getattr(fan_out(), "done", False)), 30, "the end", workers)
    wait_until(lambda: pending() == 0, 60, "the outbox to empty", workers)

    per_fan = Counter(Notification.objects.filter(build=build).values_list("fan_id", flat=True))
    assert set(per_fan) == {alice.pk, *(fan.pk for fan in fans)}
    assert set(per_fan.values()) == {1}  # every voter exactly once
    assert cursors == sorted(cursors)  # each restart went on from where the last one stopped
    received = smtp_server.messages()
    assert {r.to[0] for r in received} == {alice.email, *(fan.email for fan in fans)}
    copies = Counter(r.message["Message-ID"] for r in received)
    assert sum(n - 1 for n in copies.values()) <= kills, workers.output()
