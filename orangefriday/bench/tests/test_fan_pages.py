"""What the benchmark's signed-in rows measure: a fan who is really signed in, with votes on
the first page, and a post with its discussion."""

import io
import re

import pytest
from django.test import Client

from orangefriday.accounts.models import User
from orangefriday.bench.community import (
    DISCUSSION_COMMENTS,
    FAN_VOTES_ON_FIRST_PAGE,
    MAIN,
    generate,
    greets,
    prepare_fan_pages,
    signed_in_cookie,
)
from orangefriday.bench.tests.test_generate_community import TINY
from orangefriday.voting.models import Vote


def _client(cookie: str) -> Client:
    client = Client()
    name, _, value = cookie.partition("=")
    client.cookies[name] = value
    return client


@pytest.mark.django_db
def test_the_benchmarks_cookie_signs_the_fan_in_and_their_pages_show_their_votes():
    generate(TINY, out=io.StringIO())
    fan = User.objects.get(username="bench_fan_0")

    discussion = prepare_fan_pages(fan)
    prepare_fan_pages(fan)  # a second run adds nothing
    client = _client(signed_in_cookie(fan))
    board = client.get(f"/p/{MAIN}/?sort=hot").content.decode()
    post_page = client.get(discussion.get_absolute_url()).content.decode()

    assert greets(board, fan)
    assert not greets(Client().get(f"/p/{MAIN}/?sort=hot").content.decode(), fan)
    shown = [int(pk) for pk in re.findall(r'data-post-id="(\d+)"', board)]
    voted = Vote.objects.filter(fan=fan, post_id__in=shown).count()
    assert voted >= FAN_VOTES_ON_FIRST_PAGE
    assert board.count('aria-pressed="true"') == voted
    assert discussion.comments.count() == DISCUSSION_COMMENTS
    assert len(re.findall(r'id="comment-\d+"', post_page)) == DISCUSSION_COMMENTS
