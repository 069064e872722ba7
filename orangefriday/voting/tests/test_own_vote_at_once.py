"""A signed-in fan sees their own vote at once, on the board and on the post page, however
the rows are kept rendered (board.rows, core.panels): their button pressed, the new count,
and a form that carries their own CSRF token."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from orangefriday.board.actions import create_post

pytestmark = pytest.mark.django_db


def vote_button(html: str, post_id: int) -> dict[str, str]:
    found = re.search(rf'<div class="vote" id="vote-{post_id}">(.*?)</div>', html, re.S)
    assert found, f"no vote button for post {post_id}"
    button = found.group(1)

    def first(pattern: str) -> str:
        match = re.search(pattern, button)
        assert match, f"{pattern} not in the vote button of post {post_id}"
        return match.group(1)

    return {
        "pressed": first(r'aria-pressed="(\w+)"'),
        "count": first(r'data-testid="vote-count">(\d+)<'),
        "action": first(r'name="action" value="(\w+)"'),
        "csrf": first(r'name="csrfmiddlewaretoken" value="([^"]+)"'),
    }


@pytest.fixture
def fan_client():
    def client_for(user) -> Client:
        client = Client(enforce_csrf_checks=True)  # as a browser: the form's token must do
        client.force_login(user)
        return client

    return client_for


@pytest.fixture
def posts(alice, recorder):
    return [
        create_post(author=alice, product=recorder, kind="idea", title=f"Idea {n}")
        for n in range(3)
    ]


def test_a_fans_vote_shows_at_once_on_the_board_and_the_post_page(
    settings, fan_client, alice, bob, recorder, posts
):
    settings.BOARD_CACHE_SECONDS = 60  # visitors' pages kept: never a fan's
    cache.clear()
    board = f"/p/{recorder.slug}/"
    voted = posts[1]
    bob_client, alice_client = fan_client(bob), fan_client(alice)
    before = vote_button(bob_client.get(board).content.decode(), voted.pk)
    assert before["pressed"] == "false" and before["count"] == "0"
    alice_client.get(board)  # her rows, kept rendered before she votes

    # Bob votes with the form of the board he sees (no JavaScript: back to the board).
    response = bob_client.post(
        f"/posts/{voted.pk}/vote/",
        {"action": before["action"], "next": board, "csrfmiddlewaretoken": before["csrf"]},
    )
    assert response.status_code == 302 and response["Location"] == board

    on_board = bob_client.get(board).content.decode()
    on_page = bob_client.get(voted.get_absolute_url()).content.decode()
    for html in (on_board, on_page):
        mine = vote_button(html, voted.pk)
        assert (mine["pressed"], mine["count"], mine["action"]) == ("true", "1", "withdraw")
    for other in (posts[0], posts[2]):
        assert vote_button(on_board, other.pk)["pressed"] == "false"
    # Alice sees the new count, not Bob's vote mark, and forms with her own token.
    hers = vote_button(alice_client.get(board).content.decode(), voted.pk)
    assert (hers["pressed"], hers["count"]) == ("false", "1")
    assert hers["csrf"] != before["csrf"]

    # Withdrawn from the post page with its own form: gone at once from both.
    mine = vote_button(on_page, voted.pk)
    bob_client.post(
        f"/posts/{voted.pk}/vote/",
        {"action": "withdraw", "next": board, "csrfmiddlewaretoken": mine["csrf"]},
    )
    for url in (board, voted.get_absolute_url()):
        after = vote_button(bob_client.get(url).content.decode(), voted.pk)
        assert (after["pressed"], after["count"]) == ("false", "0")


def test_a_vote_through_htmx_answers_the_new_button_and_the_board_agrees(
    fan_client, bob, recorder, posts
):
    board = f"/p/{recorder.slug}/"
    client = fan_client(bob)
    token = vote_button(client.get(board).content.decode(), posts[0].pk)["csrf"]

    answer = client.post(
        f"/posts/{posts[0].pk}/vote/",
        {"action": "vote"},
        HTTP_HX_REQUEST="true",
        HTTP_X_CSRFTOKEN=token,
    ).content.decode()

    assert vote_button(answer, posts[0].pk)["pressed"] == "true"
    mine = vote_button(client.get(board).content.decode(), posts[0].pk)
    assert (mine["pressed"], mine["count"]) == ("true", "1")
