"""Rows and comments kept rendered per version (board.rows): what a fan sees is never older
than what is stored, and what is kept of one viewer never reaches another."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from orangefriday.board.actions import add_comment, create_post
from orangefriday.board.models import Post

pytestmark = pytest.mark.django_db


def _signed_in(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_a_row_shows_the_post_as_stored_and_its_age_as_time_passes(alice, recorder):
    post = create_post(author=alice, product=recorder, kind="idea", title="Mute while recording")
    board = f"/p/{recorder.slug}/"
    client = _signed_in(alice)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert "Mute while recording" in client.get(board).content.decode()
        # Changed behind the board's back (the admin, a merge): the next page shows it.
        Post.objects.filter(pk=post.pk).update(title="Mute while dictating", comments_count=3)
        page = client.get(board).content.decode()
        assert "Mute while dictating" in page and "3 comments" in page
        clock.shift(timedelta(hours=3))
        assert "3\xa0hours ago" in client.get(board).content.decode()


def test_a_comments_reply_form_is_a_fans_own_and_a_visitor_gets_none(alice, bob, recorder):
    post = create_post(author=alice, product=recorder, kind="idea", title="Mute while recording")
    comment = add_comment(author=alice, post=post, body="First!")
    url = post.get_absolute_url()

    visitor_page = Client().get(url).content.decode()
    bob_client = _signed_in(bob)
    bob_page = bob_client.get(url).content.decode()
    again = Client().get(url).content.decode()

    assert 'name="parent"' not in visitor_page and 'name="parent"' not in again
    forms = re.findall(
        r'name="csrfmiddlewaretoken" value="([^"]+)">\s*<input type="hidden" name="parent"'
        rf' value="{comment.pk}"',
        bob_page,
    )
    assert len(forms) == 1
    response = bob_client.post(
        f"/posts/{post.pk}/comments/",
        {"parent": comment.pk, "body": "Agreed.", "csrfmiddlewaretoken": forms[0]},
    )
    assert response.status_code == 302
    assert post.comments.filter(parent=comment, author=bob).exists()
