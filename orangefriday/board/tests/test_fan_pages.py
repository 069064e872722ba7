"""A signed-in fan's board page is one copy for all fans (core.pagecache.kept_for_fans), with
each fan's own parts filled in per request: nothing of one fan reaches another, and the
fan's own last action always shows."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from orangefriday.board.actions import create_post
from orangefriday.board.models import Post
from orangefriday.notifications.models import Notification
from orangefriday.voting.actions import cast_vote
from orangefriday.voting.tests.test_own_vote_at_once import vote_button

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept(settings):
    settings.BOARD_CACHE_SECONDS = 60
    cache.clear()


@pytest.fixture
def posts(alice, recorder):
    return [
        create_post(author=alice, product=recorder, kind="idea", title=f"Idea {n}")
        for n in range(3)
    ]


def browser(user) -> Client:
    client = Client(enforce_csrf_checks=True)  # as a browser: the form's own token must do
    client.force_login(user)
    return client


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def greeted(html: str) -> list[str]:
    """The names in the header's link to one's own profile."""
    return re.findall(r'<span class="nav-text" translate="no">([^<]+)</span>', html)


def csrf_of(html: str) -> set[str]:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))


def test_two_fans_share_one_copy_each_with_their_own_header_marks_bell_and_token(
    kept, alice, bob, recorder, posts
):
    board = f"/p/{recorder.slug}/"
    cast_vote(fan=alice, post_id=posts[0].pk)
    Notification.objects.create(fan=alice, kind="status", message="m", url="/")
    Notification.objects.create(fan=alice, kind="status", message="n", url="/")
    alices = page(browser(alice), board)  # renders the copy
    # Changed behind the board's back (no fan's action): the kept copy does not show it,
    # which proves Bob is served the copy Alice's request rendered.
    Post.objects.filter(pk=posts[2].pk).update(title="Renamed quietly")
    cast_vote(fan=bob, post_id=posts[1].pk)

    bobs = page(browser(bob), board)

    assert "Idea 2" in bobs and "Renamed quietly" not in bobs
    assert greeted(alices) == [alice.shown_name] and greeted(bobs) == [bob.shown_name]
    assert 'data-testid="unread-count">2<' in alices and "unread-count" not in bobs
    assert csrf_of(bobs) and not csrf_of(bobs) & csrf_of(alices)
    assert len(csrf_of(bobs)) == 1  # one token, the same in each of his forms
    marks = {post.pk: vote_button(bobs, post.pk) for post in posts}
    assert {pk: (m["pressed"], m["count"]) for pk, m in marks.items()} == {
        posts[0].pk: ("false", "1"),  # Alice's vote counted, not marked as his
        posts[1].pk: ("true", "1"),  # his own, done after the copy was rendered
        posts[2].pk: ("false", "0"),
    }
    assert "hole-" not in bobs


def test_the_header_follows_the_fans_name_and_bell_at_once(kept, alice, recorder, posts):
    """The header is kept rendered too (core.pagecache.fan_nav), under what it shows."""
    board, alices = f"/p/{recorder.slug}/", browser(alice)
    first = page(alices, board)
    Notification.objects.create(fan=alice, kind="status", message="m", url="/")
    alice.display_name = "Alice the Renamed"
    alice.save(update_fields=["display_name"])  # no page of hers: behind the board's back

    later = page(alices, board)

    assert "unread-count" not in first and 'data-testid="unread-count">1<' in later
    assert greeted(later) == ["Alice the Renamed"]
    assert csrf_of(later) and not csrf_of(later) & csrf_of(first)  # a token of its own
    assert greeted(page(alices, "/accounts/settings/")) == ["Alice the Renamed"]


def test_a_fans_own_action_renders_the_page_afresh_for_them_only(kept, alice, bob, recorder, posts):
    board = f"/p/{recorder.slug}/"
    bob_browser, alice_browser = browser(bob), browser(alice)
    token = vote_button(page(bob_browser, board), posts[2].pk)["csrf"]
    Post.objects.filter(pk=posts[0].pk).update(title="Renamed quietly")

    # A vote through the board's own form: the next page is never the copy from before.
    bob_browser.post(
        f"/posts/{posts[2].pk}/vote/",
        {"action": "vote", "next": board, "csrfmiddlewaretoken": token},
    )
    bobs = page(bob_browser, board)
    assert "Renamed quietly" in bobs
    assert vote_button(bobs, posts[2].pk)["pressed"] == "true"
    # Alice did nothing since: the copy Bob's page renders is hers too.
    assert "Renamed quietly" in page(alice_browser, board)


def test_a_comment_a_fan_just_posted_shows_at_once(kept, bob, recorder, posts):
    board = f"/p/{recorder.slug}/"
    client = browser(bob)
    html = page(client, board)
    assert "1 comment" not in html
    token = csrf_of(html).pop()

    response = client.post(
        f"/posts/{posts[1].pk}/comments/", {"body": "Yes, please", "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    assert "Yes, please" in page(client, posts[1].get_absolute_url())
    assert "1 comment" in page(client, board)


def test_a_message_for_the_fan_is_shown_on_their_board_only(kept, alice, bob, recorder, posts):
    board = f"/p/{recorder.slug}/"
    client = browser(alice)
    token = csrf_of(page(client, board)).pop()

    client.post(f"/posts/{posts[0].pk}/delete/", {"csrfmiddlewaretoken": token})

    html = page(client, recorder.get_absolute_url())
    assert "Your post was deleted." in html and "Idea 0" not in html
    assert "Your post was deleted." not in page(browser(bob), board)
    assert "Your post was deleted." not in page(client, board)  # told once


def test_the_copy_is_renewed_after_board_cache_seconds(kept, settings, bob, recorder, posts):
    settings.BOARD_CACHE_SECONDS = 1
    board = f"/p/{recorder.slug}/"
    client = browser(bob)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        page(client, board)
        Post.objects.filter(pk=posts[0].pk).update(title="Renamed quietly")
        assert "Renamed quietly" not in page(client, board)
        clock.shift(timedelta(seconds=1.5))
        assert "Renamed quietly" in page(client, board)


def test_a_visitor_gets_the_visitors_page(kept, alice, recorder, posts):
    board = f"/p/{recorder.slug}/"
    page(browser(alice), board)
    html = page(Client(), board)
    assert greeted(html) == [] and "csrfmiddlewaretoken" not in html
    assert "/accounts/login/" in html and "hole-" not in html
