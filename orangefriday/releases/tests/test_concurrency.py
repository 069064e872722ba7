"""Two schedulers (or a scheduler and an engineer) cutting the same Friday at the same
instant: threads with their own database connections, all released by one barrier."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection
from django.utils import timezone

from orangefriday.board.models import Post
from orangefriday.core.events import dispatch
from orangefriday.notifications.models import Notification
from orangefriday.releases.cuts import (
    cut_and_publish_due_builds,
    cut_developer_build,
    cut_internal_build,
)
from orangefriday.releases.models import Build, Change, Channel

from .conftest import local, ship

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

THREADS = 8


def at_once(call: Callable[[], object], threads: int = THREADS) -> tuple[list, list]:
    """Run `call` on `threads` threads released together; return (results, errors)."""
    start = threading.Barrier(threads)
    results: list = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            results.append(call())
        except BaseException as error:  # reported by the test
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=120)
    return results, errors


@pytest.fixture
def shipped_week(clock, product, maya, alice, fans):
    clock.move_to(local(2026, 11, 25, 10, 0))
    for i in range(3):
        ship(engineer=maya, author=alice, product=product, title=f"Idea {i}", voters=fans)
    clock.move_to(local(2026, 11, 27, 17, 0))
    return product


def test_schedulers_racing_on_friday_cut_and_publish_one_build(shipped_week, fans):
    now = timezone.now()
    results, errors = at_once(lambda: cut_and_publish_due_builds(now=now))

    assert errors == []  # in particular no IntegrityError and no "database is locked"
    assert sorted(len(published) for published in results) == [0] * (THREADS - 1) + [1]
    build = Build.objects.get()
    assert (build.version, build.channel) == ("26.11.27", Channel.DEVELOPER)
    assert build.published_at is not None
    assert Change.objects.filter(build=build).count() == 3
    assert Post.objects.filter(pinned=True).count() == 1
    # Workers racing to hand the event on: one holds the lease, each fan is told once.
    finished, errors = at_once(dispatch)
    assert errors == [] and sum(finished) >= 1
    assert Notification.objects.filter(build=build, fan=fans[0]).count() == 1
    assert Notification.objects.filter(build=build).count() == len(fans) + 1  # and the author


def test_hand_cuts_racing_create_one_build(shipped_week):
    now = timezone.now()
    results, errors = at_once(lambda: cut_developer_build(product=shipped_week, at=now))

    assert errors == []
    assert sum(cut.created for cut in results) == 1
    assert len({cut.build.pk for cut in results}) == 1
    assert Build.objects.count() == 1 and Change.objects.count() == 3


def test_internal_builds_cut_at_once_get_distinct_numbers(shipped_week, maya):
    now = timezone.now()
    results, errors = at_once(lambda: cut_internal_build(product=shipped_week, at=now), 4)

    assert errors == []
    assert sorted(b.version for b in results) == [f"26.11.27-internal.{n}" for n in (1, 2, 3, 4)]
    # The shipped posts went into exactly one of them.
    assert Change.objects.count() == 3
