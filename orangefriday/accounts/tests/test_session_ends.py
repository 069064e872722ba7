"""What ends a fan's session ends it at once, on the next request of any browser holding
its cookie: logging out, a password changed elsewhere, a suspension, the account erased.
With sessions in the database, and read through a shared Redis (cached_db, when
REDIS_URL is set: settings.py), where a session's copy must not outlive it."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from orangefriday.accounts.actions import delete_account
from orangefriday.core.testing import PASSWORD
from orangefriday.core.testing.redis import REDIS_URL, forget, key_prefix, redis_or_skip
from orangefriday.moderation.actions import suspend
from orangefriday.settings import redis_session_cache

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["db", "cached_db"])
def sessions(request, settings):
    """Sessions in the database, or read through Redis under a prefix of this test's own."""
    if request.param == "db":
        settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
        yield
        return
    redis_or_skip()
    prefix = key_prefix("sessions")
    cache = redis_session_cache(REDIS_URL, prefix)
    settings.CACHES = {**settings.CACHES, settings.SESSION_CACHE_ALIAS: cache}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    yield
    forget(prefix)


def signed_in(client: Client) -> bool:
    return client.get("/accounts/settings/").status_code == 200


def cookie_of(client: Client) -> Client:
    """Another browser holding the same session cookie (a copy of it, or another tab)."""
    other = Client()
    name = django_settings.SESSION_COOKIE_NAME
    other.cookies[name] = client.cookies[name].value
    return other


def test_logging_out_ends_the_session_for_every_copy_of_its_cookie(sessions, logged_in, alice):
    browser = logged_in(alice)
    copy = cookie_of(browser)
    assert signed_in(browser) and signed_in(copy)
    browser.post("/accounts/logout/")
    assert not signed_in(copy)


def test_a_password_changed_elsewhere_ends_the_other_sessions(sessions, logged_in, alice):
    here, there = logged_in(alice), logged_in(alice)
    assert signed_in(there)
    here.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-brand-new-secret",
            "new_password2": "a-brand-new-secret",
        },
    )
    assert signed_in(here)  # the session that changed it stays signed in
    assert not signed_in(there)


def test_a_suspension_ends_the_fans_sessions(sessions, logged_in, bob, mo):
    browser = logged_in(bob)
    assert signed_in(browser)
    suspend(by=mo, fan=bob, until=timezone.now() + timedelta(days=1), reason="abuse")
    assert not signed_in(browser)


def test_an_erased_account_ends_its_sessions(sessions, logged_in, alice):
    browser, other = logged_in(alice), logged_in(alice)
    assert signed_in(other)
    delete_account(fan=alice, password=PASSWORD, keep_content=True)
    assert not signed_in(browser) and not signed_in(other)
