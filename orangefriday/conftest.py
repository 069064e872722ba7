"""Shared fixtures: the named personas of DESIGN.md and clients that act as them."""

import json as json_module
import urllib.parse

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from orangefriday.accounts.actions import create_api_token
from orangefriday.accounts.models import Role, User
from orangefriday.board.api import forget_kept_lists
from orangefriday.board.models import Category, Product
from orangefriday.board.reads import discard_reads
from orangefriday.core.pagecache import forget_kept_pages
from orangefriday.core.testing import PASSWORD
from orangefriday.moderation.trust import forget_counts
from orangefriday.moderation.visits import forget_visits

pytest_plugins = [
    "orangefriday.core.testing.browser",
    "orangefriday.core.testing.smtp",
    "orangefriday.core.testing.wsgi",
]


# The limits as configured (the README's defaults); tests of limits turn them on.
DEFAULT_RATE_LIMITS = dict(django_settings.RATE_LIMITS)
DEFAULT_HOLD_FIRST_POSTS = django_settings.TRUST_HOLD_FIRST_POSTS


def make_fan(username: str, role: str = Role.FAN, *, verified: bool = True) -> User:
    return User.objects.create_user(
        username=username,
        email=f"{username}@example.org",
        password=PASSWORD,
        role=role,
        email_verified_at=timezone.now() if verified else None,
    )


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
    settings.BUG_LOG_ROOT = tmp_path / "bug_logs"
    settings.IMAGE_ROOT = tmp_path / "images"
    # Hashing passwords properly is slow on purpose; tests do not need that.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests of other things write as fast as they like; tests of the limits use
    # `rate_limits`, which puts back the configured ones.
    settings.RATE_LIMITS = dict.fromkeys(DEFAULT_RATE_LIMITS, "off")
    # Likewise a new fan's links are not held for review, except in `holds`' tests.
    settings.TRUST_HOLD_FIRST_POSTS = 0
    # A test's form is filled faster than any person could; bots' tests set it back.
    settings.FORM_MIN_FILL_SECONDS = 0
    # The read buffer lives in the process; reads from an earlier test's rolled-back rows
    # must not reach this one.
    discard_reads()
    forget_visits()  # likewise the visits noted in memory, and the posts counted
    forget_counts()
    forget_kept_pages()  # and the fans' pages kept rendered, whose rows may be gone
    forget_kept_lists()  # and the API's lists kept for token holders


@pytest.fixture
def rate_limits(settings):
    """The configured limits (the README's defaults), counted in the database store."""
    settings.RATE_LIMITS = dict(DEFAULT_RATE_LIMITS)
    settings.REDIS_URL = settings.CACHE_URL = ""
    return settings.RATE_LIMITS


@pytest.fixture
def holds(settings):
    """The configured hold of a new fan's first links and images (README's default)."""
    settings.TRUST_HOLD_FIRST_POSTS = DEFAULT_HOLD_FIRST_POSTS
    return settings.TRUST_HOLD_FIRST_POSTS


@pytest.fixture
def alice(db) -> User:
    return make_fan("alice")


@pytest.fixture
def bob(db) -> User:
    return make_fan("bob")


@pytest.fixture
def recorder(db) -> Product:
    """The Sound Recorder board, where journalists asked for features."""
    product = Product.objects.create(
        slug="sound-recorder", name="Sound Recorder", tagline="Record interviews that never drop"
    )
    Category.objects.create(product=product, slug="recording", name="Recording")
    Category.objects.create(product=product, slug="cloud", name="Cloud sync")
    return product


@pytest.fixture
def camera(db) -> Product:
    return Product.objects.create(slug="camera", name="Camera")


@pytest.fixture
def maya(db, recorder) -> User:
    """An engineer of the Sound Recorder."""
    user = make_fan("maya", Role.ENGINEER)
    recorder.engineers.add(user)
    return user


@pytest.fixture
def mo(db) -> User:
    return make_fan("mo", Role.MODERATOR)


class ApiClient:
    """A JSON client that authenticates with a real bearer token."""

    def __init__(self, user: User | None) -> None:
        self.client = Client()
        self.headers = {}
        if user is not None:
            _, raw = create_api_token(user=user, name="tests")
            self.headers["Authorization"] = f"Bearer {raw}"

    def request(self, method: str, path: str, json=None, **params):
        return self.client.generic(
            method,
            "/api/v1" + path,
            data=b"" if json is None else json_module.dumps(json),
            content_type="application/json",
            headers=self.headers,
            QUERY_STRING=urllib.parse.urlencode(params),
        )

    def get(self, path: str, **params):
        return self.request("GET", path, **params)

    def post(self, path: str, json=None):
        return self.request("POST", path, json)

    def put(self, path: str, json=None):
        return self.request("PUT", path, json)

    def patch(self, path: str, json=None):
        return self.request("PATCH", path, json)

    def delete(self, path: str):
        return self.request("DELETE", path)


@pytest.fixture
def api_as():
    return ApiClient


@pytest.fixture
def logged_in():
    def client_for(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return client_for
