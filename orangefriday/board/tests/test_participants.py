"""The @mention autocomplete offers the fans who took part in the thread."""

import pytest

from orangefriday.board.actions import add_comment, create_post
from orangefriday.conftest import make_fan

pytestmark = pytest.mark.django_db


def test_participants_are_the_author_and_the_commenters_by_the_start_of_their_name(
    alice, bob, recorder, api_as, client
):
    idea = create_post(author=alice, product=recorder, kind="idea", title="Mute")
    add_comment(author=bob, post=idea, body="Yes")
    add_comment(author=make_fan("Alfred"), post=idea, body="Me too")
    make_fan("alina")  # not in the thread

    api = api_as(None)
    assert api.get(f"/posts/{idea.pk}/participants").json() == ["Alfred", "alice", "bob"]
    assert api.get(f"/posts/{idea.pk}/participants", q="al").json() == ["Alfred", "alice"]
    assert api.get(f"/posts/{idea.pk}/participants", q="zz").json() == []
    assert api.get("/posts/999999/participants").status_code == 404
    assert api.get(f"/posts/{idea.pk}/participants", q="x" * 151).status_code == 422

    client.force_login(bob)
    page = client.get(f"/posts/{idea.pk}/").content.decode()
    assert f'data-mentions="/api/v1/posts/{idea.pk}/participants"' in page


def test_a_hidden_post_names_its_participants_only_to_who_may_see_it(
    alice, bob, maya, mo, recorder, api_as
):
    """Like its comments: a visitor or another fan learns nothing of who took part in a
    post moderators hid, its engineers and moderators still do."""
    from orangefriday.moderation.actions import decide, flag_item
    from orangefriday.moderation.models import Review

    spam = create_post(author=alice, product=recorder, kind="idea", title="Buy followers")
    add_comment(author=bob, post=spam, body="Where?")
    flag_item(flagger=bob, post=spam, reason="spam")
    decide(by=mo, review=Review.objects.get(post=spam), decision="hide", reason="spam")

    for stranger in (None, make_fan("carol")):
        answer = api_as(stranger).get(f"/posts/{spam.pk}/participants")
        assert answer.status_code == 404, answer.content
        assert "bob" not in answer.content.decode()
    for insider in (maya, mo, alice):
        assert api_as(insider).get(f"/posts/{spam.pk}/participants").json() == ["alice", "bob"]
