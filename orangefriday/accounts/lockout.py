"""Log-in lockout with backoff, counted in the shared store of core.limits.

LOGIN_FAILURES_PER_ACCOUNT wrong passwords for one account from one address lock that
account from that address; LOGIN_FAILURES_PER_IP from one address, whatever the accounts,
lock the address. A lock lasts LOGIN_LOCK_MINUTES, twice as long for each further lock of
the same pair (or address) within a day, and refuses even the right password. Other
fans, and the same fan from elsewhere, are unaffected.
"""

from dataclasses import dataclass

from django.conf import settings

from orangefriday.core.limits import retry_message, seconds_left, storage

DAY = 86400
MAX_LOCK = DAY


@dataclass(frozen=True)
class Lock:
    seconds: int  # until the lock ends
    whole_address: bool  # the address is locked for every account, not one account

    def message(self) -> str:
        what = (
            "Too many wrong passwords from your address"
            if self.whole_address
            else "Too many wrong passwords for this account from your address"
        )
        return retry_message(what, self.seconds) + " You can also reset your password."


def _scopes(username: str, ip: str) -> list[tuple[str, int, bool]]:
    """(key, failures that lock it, whether it is the whole address) for one attempt."""
    name = username.strip().lower()
    return [
        (f"login/{name}/{ip}", settings.LOGIN_FAILURES_PER_ACCOUNT, False),
        (f"login-ip/{ip}", settings.LOGIN_FAILURES_PER_IP, True),
    ]


def current_lock(username: str, ip: str) -> Lock | None:
    """The lock that refuses this attempt, or None."""
    store = storage()
    for key, _limit, whole in _scopes(username, ip):
        if store.get(f"{key}/lock") > 0:
            return Lock(seconds_left(store, f"{key}/lock"), whole)
    return None


def record_failure(username: str, ip: str) -> Lock | None:
    """Count a wrong password; returns the lock it started, if it was the last one allowed."""
    store = storage()
    window = int(settings.LOGIN_LOCK_MINUTES * 60)
    started = None
    for key, limit, whole in _scopes(username, ip):
        # `==`, not `>=`: of many failures at once, exactly one starts the lock.
        if store.incr(f"{key}/failures", window) != limit:
            continue
        store.clear(f"{key}/failures")
        earlier_locks = store.incr(f"{key}/locks", DAY) - 1
        seconds = min(window * 2**earlier_locks, MAX_LOCK)
        store.incr(f"{key}/lock", seconds)
        started = started or Lock(seconds, whole)
    return started


def record_success(username: str, ip: str) -> None:
    """The right password: this pair's failures start again from zero (its backoff stays)."""
    key, _limit, _whole = _scopes(username, ip)[0]
    storage().clear(f"{key}/failures")
