"""Real threads, each with its own database connection, started at the same instant."""

import threading
from collections.abc import Callable, Sequence

from django.db import connection


def run_concurrently(calls: Sequence[Callable[[], object]], threads: int) -> list[BaseException]:
    """Run `calls` on `threads` threads that all start at the same instant; return errors."""
    pending = list(calls)
    lock = threading.Lock()
    start = threading.Barrier(threads)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            while True:
                with lock:
                    if not pending:
                        return
                    call = pending.pop()
                try:
                    call()
                except BaseException as error:  # collected and reported by the test
                    errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=120)
    return errors
