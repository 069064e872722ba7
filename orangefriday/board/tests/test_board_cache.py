"""BOARD_CACHE_SECONDS: a cookieless visitor's board page may be a second old, never a fan's."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from orangefriday.board.actions import create_post
from orangefriday.core import pagecache
from orangefriday.voting.actions import cast_vote


def vote_counts(html: str) -> list[str]:
    return re.findall(r'data-testid="vote-count">(\d+)<', html)


@pytest.fixture
def post(alice, recorder):
    return create_post(author=alice, product=recorder, kind="idea", title="Mute while recording")


@pytest.fixture
def board_cache(settings):
    settings.BOARD_CACHE_SECONDS = 1
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_a_visitor_sees_a_vote_within_a_second_a_fan_at_once(
    board_cache, alice, bob, recorder, post
):
    url = f"/p/{recorder.slug}/"
    visitor = Client()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert vote_counts(visitor.get(url).content.decode()) == ["0"]
        cast_vote(fan=bob, post_id=post.pk)

        assert vote_counts(visitor.get(url).content.decode()) == ["0"]  # the cached page
        assert not visitor.cookies  # the page gave the visitor no cookie to tell them apart
        fan = Client()
        fan.force_login(alice)
        assert vote_counts(fan.get(url).content.decode()) == ["1"]  # fans: never cached
        with_cookie = Client()
        with_cookie.cookies["csrftoken"] = "x" * 32
        assert vote_counts(with_cookie.get(url).content.decode()) == ["1"]
        assert vote_counts(visitor.get(url + "?sort=new").content.decode()) == ["1"]

        clock.shift(timedelta(seconds=1.5))
        assert vote_counts(visitor.get(url).content.decode()) == ["1"]


@pytest.mark.django_db
def test_off_by_default(bob, recorder, post):
    url = f"/p/{recorder.slug}/"
    visitor = Client()
    assert vote_counts(visitor.get(url).content.decode()) == ["0"]
    cast_vote(fan=bob, post_id=post.pk)
    assert vote_counts(visitor.get(url).content.decode()) == ["1"]


@pytest.mark.django_db
def test_while_another_thread_renders_the_stale_page_is_served(board_cache, bob, recorder, post):
    url = f"/p/{recorder.slug}/"
    visitor = Client()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert vote_counts(visitor.get(url).content.decode()) == ["0"]
        cast_vote(fan=bob, post_id=post.pk)
        clock.shift(timedelta(seconds=1.5))
        with pagecache._rendering:  # another thread of this process is rendering it anew
            assert vote_counts(visitor.get(url).content.decode()) == ["0"]
        assert vote_counts(visitor.get(url).content.decode()) == ["1"]


@pytest.mark.django_db
def test_the_home_page_is_kept_for_visitors_too(board_cache, bob, post):
    visitor = Client()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert vote_counts(visitor.get("/").content.decode()) == ["0"]
        cast_vote(fan=bob, post_id=post.pk)
        assert vote_counts(visitor.get("/").content.decode()) == ["0"]
        clock.shift(timedelta(seconds=1.5))
        assert vote_counts(visitor.get("/").content.decode()) == ["1"]


@pytest.mark.django_db
def test_the_api_list_is_kept_for_visitors_and_never_for_a_token(
    board_cache, api_as, bob, recorder, post
):
    visitor, fan = api_as(None), api_as(bob)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert visitor.get("/posts", product=recorder.slug).json()["items"][0]["votes_count"] == 0
        fan.put(f"/posts/{post.pk}/vote")

        # The visitor's copy may be a second old; the fan's own call shows their vote.
        assert visitor.get("/posts", product=recorder.slug).json()["items"][0]["votes_count"] == 0
        mine = fan.get("/posts", product=recorder.slug).json()["items"][0]
        assert (mine["votes_count"], mine["voted"]) == (1, True)
        clock.shift(timedelta(seconds=1.5))
        assert visitor.get("/posts", product=recorder.slug).json()["items"][0]["votes_count"] == 1
