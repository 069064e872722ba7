"""A post's page is one copy for the signed-in fans who do not moderate its product
(core.pagecache.kept_for_fans, board.post_page), with what depends on the viewer filled in
per request: their vote, follow and flag buttons, and the edit and delete links of their
own post and comments only. A fan's own action shows at once; engineers and moderators get
a page of their own; every fan's read is counted."""

import re

import pytest

from orangefriday.board.actions import add_comment, create_post
from orangefriday.board.models import Post, PostReader, Visibility
from orangefriday.board.reads import flush_reads
from orangefriday.board.tests.test_fan_pages import browser, csrf_of, greeted, kept, page
from orangefriday.conftest import make_fan
from orangefriday.core.pagecache import forget_kept_pages
from orangefriday.moderation.actions import flag_item
from orangefriday.voting.tests.test_own_vote_at_once import vote_button

pytestmark = pytest.mark.django_db
__all__ = ["kept"]  # the fixture, shared with the board's tests


@pytest.fixture
def post(alice, recorder):
    return create_post(author=alice, product=recorder, kind="idea", title="Offline mode")


@pytest.fixture
def carol(db):
    return make_fan("carol")


def edit_links(html: str) -> set[str]:
    """The edit links on the page: of the post and of comments."""
    return set(re.findall(r'href="(/(?:posts|comments)/\d+/edit/)"', html))


def quietly_renamed(post: Post) -> None:
    """Changed behind the page's back (no fan's action): a page that does not show it is
    the kept copy."""
    Post.objects.filter(pk=post.pk).update(title="Renamed quietly")


def test_fans_share_one_copy_with_their_own_links_buttons_and_token(kept, alice, bob, carol, post):
    carols_comment = add_comment(author=carol, post=post, body="Me too")
    bobs_comment = add_comment(author=bob, post=post, body="And me")
    url = post.get_absolute_url()
    alices = page(browser(alice), url)  # renders the copy
    quietly_renamed(post)

    bobs, carols = page(browser(bob), url), page(browser(carol), url)

    assert "Renamed quietly" not in bobs and "Renamed quietly" not in carols
    assert greeted(bobs) == [bob.shown_name] and greeted(carols) == [carol.shown_name]
    assert edit_links(alices) == {f"/posts/{post.pk}/edit/"}
    assert edit_links(bobs) == {f"/comments/{bobs_comment.pk}/edit/"}
    assert edit_links(carols) == {f"/comments/{carols_comment.pk}/edit/"}
    assert f"/posts/{post.pk}/delete/" in alices and f"/posts/{post.pk}/delete/" not in bobs
    assert len(csrf_of(bobs)) == 1 and not csrf_of(bobs) & csrf_of(alices)
    assert "hole-" not in bobs + carols


def test_a_fans_vote_follow_and_comment_show_at_once(kept, alice, bob, post):
    url = post.get_absolute_url()
    page(browser(alice), url)
    client = browser(bob)
    token = vote_button(page(client, url), post.pk)["csrf"]

    client.post(
        f"/posts/{post.pk}/vote/", {"action": "vote", "next": url, "csrfmiddlewaretoken": token}
    )
    after_vote = page(client, url)
    client.post(f"/posts/{post.pk}/follow/", {"following": "1", "csrfmiddlewaretoken": token})
    after_follow = page(client, url)
    client.post(
        f"/posts/{post.pk}/comments/", {"body": "Count me in", "csrfmiddlewaretoken": token}
    )
    after_comment = page(client, url)

    assert (
        vote_button(after_vote, post.pk)["pressed"],
        vote_button(after_vote, post.pk)["count"],
    ) == ("true", "1")
    assert 'data-testid="follow-state">You follow this post' in after_follow
    assert "Count me in" in after_comment
    bobs_comment = post.comments.get(body="Count me in")
    assert f"/comments/{bobs_comment.pk}/edit/" in after_comment
    # Alice did nothing since: she is served a copy, with Bob's comment but not his links.
    alices = page(browser(alice), url)
    assert "Count me in" in alices and f"/comments/{bobs_comment.pk}/edit/" not in alices
    alices_button = vote_button(alices, post.pk)
    assert (alices_button["pressed"], alices_button["count"]) == ("false", "1")


def test_an_edited_comment_shows_at_once_to_its_author(kept, bob, post):
    comment = add_comment(author=bob, post=post, body="First thoughts")
    client = browser(bob)
    url = post.get_absolute_url()
    token = csrf_of(page(client, url)).pop()

    response = client.post(
        f"/comments/{comment.pk}/edit/", {"body": "Second thoughts", "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    html = page(client, url)
    assert "Second thoughts" in html and "First thoughts" not in html


def test_engineers_and_moderators_get_a_page_of_their_own(kept, alice, bob, maya, mo, post):
    url = post.get_absolute_url()
    page(browser(bob), url)  # the copy for fans
    quietly_renamed(post)

    engineers, moderators = page(browser(maya), url), page(browser(mo), url)

    assert "Renamed quietly" in engineers and f'action="/posts/{post.pk}/status/"' in engineers
    assert "Renamed quietly" in moderators and "Merge into the original" in moderators
    # What they rendered is not kept for the others.
    Post.objects.filter(pk=post.pk).update(title="Renamed again")
    page(browser(maya), url)
    bobs = page(browser(bob), url)
    assert "Renamed quietly" not in bobs and "/status/" not in bobs and "Merge into" not in bobs


def test_a_copy_rendered_first_by_an_engineer_is_not_kept_for_fans(kept, bob, maya, post):
    url = post.get_absolute_url()
    page(browser(maya), url)
    quietly_renamed(post)

    bobs = page(browser(bob), url)

    assert "Renamed quietly" in bobs and "/status/" not in bobs


def test_every_fans_read_is_counted_from_the_kept_copy(kept, alice, bob, carol, post):
    url = post.get_absolute_url()
    for fan in (alice, bob, carol):
        page(browser(fan), url)

    flush_reads()

    readers = set(PostReader.objects.filter(post=post).values_list("fan__username", flat=True))
    assert readers == {"alice", "bob", "carol"}
    post.refresh_from_db()
    assert post.readers_count == 3


def test_a_hidden_post_is_kept_for_nobody(kept, alice, bob, post):
    Post.objects.filter(pk=post.pk).update(visibility=Visibility.HIDDEN, visibility_reason="spam")
    url = post.get_absolute_url()

    authors = page(browser(alice), url)

    assert "Offline mode" in authors and "hole-" not in authors
    response = browser(bob).get(url)
    assert response.status_code == 410 and "Offline mode" not in response.content.decode()
    assert "hole-" not in response.content.decode()


def without_tokens(html: str) -> str:
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1…", html)


def test_each_viewers_page_is_the_one_rendered_for_them_alone(
    settings, alice, bob, carol, maya, mo, post
):
    """The kept copy with its holes filled is, for every kind of viewer, the page they
    would get without keeping (but for the CSRF token, and the blank the header leaves)."""
    bobs_comment = add_comment(author=bob, post=post, body="And me")
    add_comment(author=carol, post=post, body="Me too", parent=bobs_comment)
    flag_item(flagger=carol, post=post, comment=bobs_comment, reason="spam")
    viewers = [alice, bob, carol, maya, mo]
    url = post.get_absolute_url()
    settings.BOARD_CACHE_SECONDS = 0
    fresh = {fan.username: without_tokens(page(browser(fan), url)) for fan in viewers}
    settings.BOARD_CACHE_SECONDS = 60
    page(browser(make_fan("dora")), url)  # renders the copy

    for fan in viewers:
        kept_page = without_tokens(page(browser(fan), url))
        assert kept_page.split() == fresh[fan.username].split(), fan.username
    # And the page of the fan whose request renders the copy (kept for the others or not).
    for fan in viewers:
        forget_kept_pages()
        rendering = without_tokens(page(browser(fan), url))
        assert rendering.split() == fresh[fan.username].split(), fan.username
