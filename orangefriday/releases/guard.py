"""The rollout guard's rule, without the database: when do a stable build's bug reports
halt its staged rollout."""

from datetime import datetime, timedelta

GUARD_WINDOW = timedelta(hours=24)


def window_start(now: datetime, last_halted_at: datetime | None) -> datetime:
    """Reports filed after this instant count: the last 24 hours, but none from before the
    build's last halt, so that after an engineer resumes, the reports that halted it do not
    halt it again at once."""
    start = now - GUARD_WINDOW
    return start if last_halted_at is None else max(start, last_halted_at)


def trips_guard(*, reports: int, fans_running: int, per_1000: int) -> bool:
    """More than `per_1000` reports per 1,000 fans running the build. Exactly the limit
    does not trip it; with nobody declared running, any report does."""
    return reports * 1000 > per_1000 * fans_running


def halt_reason(*, reports: int, fans_running: int, per_1000: int) -> str:
    counted = f"{reports} bug report{'s' if reports != 1 else ''} in 24 hours"
    if fans_running == 0:
        return f"Rollout guard: {counted} and no fan declared running it."
    rate = reports * 1000 / fans_running
    return (
        f"Rollout guard: {counted} from {fans_running} fan{'s' if fans_running != 1 else ''} "
        f"running it ({rate:.0f} per 1,000; the limit is {per_1000})."
    )
