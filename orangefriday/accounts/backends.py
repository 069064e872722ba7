from functools import cache
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.translation import gettext as _

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
        if user is None and _suspended_with_password(username, password):
            record_success(username, ip)  # the password was right: no lockout for it
            request.login_refusal = suspension_message(username)  # type: ignore[attr-defined]
            raise PermissionDenied(request.login_refusal)  # type: ignore[attr-defined]
        if user is None:
            lock = record_failure(username, ip)
            if lock is not None:
                request.login_lock = lock  # type: ignore[attr-defined]
        else:
            record_success(username, ip)
        return user

    def get_user(self, user_id: Any) -> Any:
        """The fan of a session, read on every request of theirs: one plain statement (the
        ORM's `get` cost more to compile than to run); None if they are gone or may no longer
        sign in. Django then checks the session's password hash against them."""
        user = _fan(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def user_can_authenticate(self, user: Any) -> bool:
        """A suspended fan cannot log in, and their open sessions end (Django asks this of
        every session's user on each request too)."""
        return super().user_can_authenticate(user) and not getattr(user, "is_suspended", False)


def _fan(user_id: Any) -> Any:
    from .models import User

    found = list(User.objects.raw(_fan_sql(connection.vendor), [user_id]))
    return found[0] if found else None


@cache
def _fan_sql(vendor: str) -> str:
    """The statement reading a fan's row by id, made once per kind of database."""
    from .models import User

    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in User._meta.concrete_fields)
    key = quote(User._meta.pk.column)
    return f"SELECT {columns} FROM {quote(User._meta.db_table)} WHERE {key} = %s"


def _suspended_with_password(username: str, password: str | None) -> bool:
    from .models import User

    user = User.objects.filter(username=username).first()
    return (
        user is not None
        and user.is_suspended
        and password is not None
        and user.check_password(password)
    )


def suspension_message(username: str) -> str:
    from .models import User

    user = User.objects.get(username=username)
    assert user.suspended_until is not None
    return _("This account is suspended until %(until)s: %(reason)s") % {
        "until": date_format(user.suspended_until, "DATETIME_FORMAT"),
        "reason": user.suspension_reason,
    }
