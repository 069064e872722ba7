"""The production server's lean vote path answers every vote call byte for byte as Django's
full request path does, and leaves what is not a bearer-token vote to Django."""

import datetime as dt

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import transaction
from django.test import RequestFactory
from django.utils import timezone

from orangefriday.accounts.actions import create_api_token, revoke_api_token
from orangefriday.accounts.models import ApiToken
from orangefriday.board.actions import create_post
from orangefriday.board.models import Post, Status, Visibility
from orangefriday.core.fastpath import LeanApiPath
from orangefriday.core.testing.wsgi import serve
from orangefriday.moderation.models import FanDay
from orangefriday.voting.fastpath import vote_route
from orangefriday.voting.models import Vote

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("keep_the_test_connection")]


def not_django(environ, start_response):
    raise AssertionError(f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']} reached Django")


def vote_environ(method, post_id, token=None, **headers):
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return (
        RequestFactory().generic(method, f"/api/v1/posts/{post_id}/vote", headers=headers).environ
    )


def both_ways(environ_of):
    """The answer of Django's whole path and of the lean path (which must not reach
    Django), each from the same state (the first is rolled back)."""
    with transaction.atomic():
        through_django = serve(WSGIHandler(), environ_of())
        transaction.set_rollback(True)
    lean = serve(LeanApiPath(not_django, [vote_route()]), environ_of())
    return through_django, lean


@pytest.fixture
def idea(alice, recorder):
    return create_post(author=alice, product=recorder, kind="idea", title="Mute while recording")


@pytest.fixture
def bob_token(bob):
    return create_api_token(user=bob, name="script")[1]


def same_answer(environ_of, status):
    through_django, lean = both_ways(environ_of)
    assert lean == through_django
    assert lean[0].startswith(str(status)), lean
    return lean


def test_a_vote_and_its_withdrawal_answer_as_through_django(bob, idea, bob_token):
    _, headers, body = same_answer(lambda: vote_environ("PUT", idea.pk, bob_token), 200)
    assert b'"voted": true' in body and b'"votes_count": 1' in body
    assert ("Cache-Control", "no-store, private") in headers
    assert Vote.objects.filter(post=idea, fan=bob).exists()  # the lean call's own vote
    same_answer(lambda: vote_environ("PUT", idea.pk, bob_token), 200)  # again: no change
    _, _, body = same_answer(lambda: vote_environ("DELETE", idea.pk, bob_token), 200)
    assert b'"voted": false' in body and b'"votes_count": 0' in body
    assert not Vote.objects.exists()


def test_the_lean_vote_stamps_its_token_and_notes_the_visit(bob, idea, bob_token):
    before = timezone.now()
    serve(LeanApiPath(not_django, [vote_route()]), vote_environ("PUT", idea.pk, bob_token))
    stamp = ApiToken.objects.get(user=bob).last_used_at
    assert stamp is not None and stamp >= before
    assert FanDay.objects.filter(fan=bob).exists()


@pytest.mark.parametrize("token", ["of_made_up", "", "  "])
def test_an_unknown_token_is_refused_as_through_django(idea, token):
    environ_of = lambda: vote_environ("PUT", idea.pk, token)  # noqa: E731
    if token.strip():
        same_answer(environ_of, 401)
    else:  # no token at all: not a token call, Django answers it
        assert serve(LeanApiPath(WSGIHandler(), [vote_route()]), environ_of())[0].startswith("401")


def test_a_revoked_token_and_a_suspended_fan_are_refused(bob, idea, bob_token):
    token = ApiToken.objects.get(user=bob)
    revoke_api_token(user=bob, token_id=token.pk)
    same_answer(lambda: vote_environ("PUT", idea.pk, bob_token), 401)
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=None)
    bob.suspended_until = timezone.now() + dt.timedelta(days=1)
    bob.save()
    same_answer(lambda: vote_environ("PUT", idea.pk, bob_token), 401)


def test_a_silenced_fan_is_refused(bob, idea, bob_token):
    bob.silenced_until = timezone.now() + dt.timedelta(days=1)
    bob.silence_reason = "shouting"
    bob.save()
    for method in ("PUT", "DELETE"):
        _, _, body = same_answer(lambda: vote_environ(method, idea.pk, bob_token), 403)  # noqa: B023
        assert b"shouting" in body


@pytest.mark.parametrize("post_id", ["0", "abc", "99999999999999999999", "-1"])
def test_a_bad_id_is_invalid_input(bob_token, post_id):
    same_answer(lambda: vote_environ("PUT", post_id, bob_token), 422)


def test_a_missing_post_merged_or_hidden_post(idea, bob_token, alice, recorder):
    same_answer(lambda: vote_environ("PUT", idea.pk + 1000, bob_token), 404)
    Post.objects.filter(pk=idea.pk).update(status=Status.DUPLICATE)
    same_answer(lambda: vote_environ("PUT", idea.pk, bob_token), 409)
    hidden = create_post(author=alice, product=recorder, kind="idea", title="Louder")
    Post.objects.filter(pk=hidden.pk).update(visibility=Visibility.HIDDEN)
    same_answer(lambda: vote_environ("PUT", hidden.pk, bob_token), 409)


def test_over_the_fans_and_the_tokens_limits(rate_limits, settings, bob, idea, bob_token):
    settings.RATE_LIMITS["vote"] = "1/minute"
    serve(LeanApiPath(not_django, [vote_route()]), vote_environ("PUT", idea.pk, bob_token))
    _, headers, _ = same_answer(lambda: vote_environ("PUT", idea.pk, bob_token), 429)
    assert "Retry-After" in dict(headers)
    settings.RATE_LIMITS["api_token"] = "1/minute"
    _, headers, body = same_answer(lambda: vote_environ("PUT", idea.pk, bob_token), 429)
    assert b"with this token" in body and "Retry-After" in dict(headers)


def test_the_language_asked_for_is_kept(bob, idea, bob_token):
    _, headers, _ = same_answer(
        lambda: vote_environ("PUT", idea.pk, bob_token, **{"Accept-Language": "zh-Hans"}), 200
    )
    assert ("Content-Language", "zh-hans") in headers


def test_a_session_vote_goes_through_django_and_its_csrf_check(settings, bob, idea, logged_in):
    session = logged_in(bob).cookies[settings.SESSION_COOKIE_NAME].value
    app = LeanApiPath(WSGIHandler(), [vote_route()])
    environ = vote_environ("PUT", idea.pk, Cookie=f"{settings.SESSION_COOKIE_NAME}={session}")
    status, _, body = serve(app, environ)
    assert status.startswith("403") and b"CSRF" in body
    assert not Vote.objects.exists()


def test_other_calls_reach_django(bob_token, idea):
    app = LeanApiPath(WSGIHandler(), [vote_route()])
    status, _, body = serve(app, RequestFactory().get(f"/api/v1/posts/{idea.pk}").environ)
    assert status.startswith("200") and b"Mute while recording" in body
    environ = vote_environ("POST", idea.pk, bob_token)  # not a method of the lean route
    assert serve(app, environ)[0].startswith("405")


def test_the_route_matches_what_the_api_pattern_does():
    from django.urls import resolve

    route, view = vote_route(), resolve("/api/v1/posts/1/vote").func
    for path in ("/api/v1/posts/12/vote", "/api/v1/posts/x y/vote"):
        assert route.path.fullmatch(path) and resolve(path).func is view
    for path in ("/api/v1/posts/1/2/vote", "/api/v1/posts//vote", "/api/v1/posts/1/vote/"):
        assert not route.path.fullmatch(path)


def test_an_error_is_logged_and_answered_with_a_500_problem(monkeypatch, caplog, idea, bob_token):
    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("orangefriday.voting.api.cast_vote", broken)
    _, headers, body = same_answer(lambda: vote_environ("PUT", idea.pk, bob_token), 500)
    assert ("Content-Type", "application/problem+json") in headers and b'"status": 500' in body
    errors = [r for r in caplog.records if r.name == "django.request" and r.exc_info]
    assert len(errors) == 2  # once through Django, once on the lean path
