from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from orangefriday.core.requests import client_ip

from .lockout import current_lock, record_failure, record_success


class LockoutBackend(ModelBackend):
    """Username and password, behind the log-in lockout (accounts/lockout.py).

    Every password log-in goes through `authenticate()`, the admin's included. A locked
    attempt is refused before the password is even checked (PermissionDenied stops
    Django's backends), and the lock is left on the request for the form to explain.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if request is None or username is None:  # a shell or a test helper, not a visitor
            return super().authenticate(request, username, password, **kwargs)
        ip = client_ip(request)
        lock = current_lock(username, ip)
        if lock is not None:
            request.login_lock = lock  # type: ignore[attr-defined]
            raise PermissionDenied(lock.message())
        user = super().authenticate(request, username, password, **kwargs)
        if user is None:
            lock = record_failure(username, ip)
            if lock is not None:
                request.login_lock = lock  # type: ignore[attr-defined]
        else:
            record_success(username, ip)
        return user
