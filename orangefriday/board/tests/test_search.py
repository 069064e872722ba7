"""Search over titles and bodies, on whichever database the tests run."""

import pytest

from orangefriday.board.actions import create_post
from orangefriday.board.models import Post
from orangefriday.board.search import filter_by_search, similar_posts

pytestmark = pytest.mark.django_db


@pytest.fixture
def posts(alice, recorder, camera):
    return {
        "mute": create_post(
            author=alice,
            product=recorder,
            kind="idea",
            title="Mute the phone while recording",
            body="Notifications ruin interviews.",
        ),
        "calls": create_post(
            author=alice,
            product=recorder,
            kind="idea",
            title="通话时不要中断录音",
            body="记者需要这个功能",
        ),
        "cloud": create_post(
            author=alice,
            product=recorder,
            kind="idea",
            title="Upload recordings to the cloud as they are made",
        ),
        "night": create_post(author=alice, product=camera, kind="idea", title="Better night mode"),
    }


def found(query: str) -> set[int]:
    return set(filter_by_search(Post.objects.all(), query).values_list("pk", flat=True))


def test_a_two_character_chinese_query_finds_the_post(posts):
    assert found("录音") == {posts["calls"].pk}
    assert found("记者") == {posts["calls"].pk}  # from the body
    assert found("音录") == set()  # the characters must be adjacent, in order


def test_words_match_in_title_or_body_whatever_the_case(posts):
    assert found("MUTE") == {posts["mute"].pk}
    assert found("interviews") == {posts["mute"].pk}
    assert found("cloud recordings") == {posts["cloud"].pk}


def test_the_last_word_may_be_unfinished(posts):
    assert found("recordi") == {posts["mute"].pk, posts["cloud"].pk}


def test_punctuation_and_quotes_do_not_break_the_query(posts):
    assert found('"mute" (phone:*') == {posts["mute"].pk}
    assert found("*:& <-> '") == set(Post.objects.values_list("pk", flat=True))


def test_an_edited_title_is_searchable_by_its_new_words(posts):
    from orangefriday.core.text import searchable_text

    post = posts["night"]
    post.title = "Astrophotography mode"
    post.search_document = searchable_text(post.title, post.body)
    post.save()
    assert found("astrophotography") == {post.pk}
    assert found("night") == set()


def test_similar_posts_suggest_likely_duplicates_on_the_same_board(posts, recorder):
    titles = [p.title for p in similar_posts(product_id=recorder.pk, title="please mute my phone")]
    assert titles[0] == "Mute the phone while recording"
    chinese = similar_posts(product_id=recorder.pk, title="录音被打断")
    assert [p.pk for p in chinese] == [posts["calls"].pk]
    assert similar_posts(product_id=recorder.pk, title="night mode") == []


def test_the_board_page_and_search_page_search(client, posts):
    board = client.get("/p/sound-recorder/", {"q": "录音"}).content.decode()
    assert posts["calls"].title in board and posts["mute"].title not in board
    everywhere = client.get("/search/", {"q": "mode"}).content.decode()
    assert posts["night"].title in everywhere


def test_the_similar_fragment_lists_matches_while_typing(client, posts):
    html = client.get("/p/sound-recorder/similar/", {"title": "mute phone"}).content.decode()
    assert "Mute the phone while recording" in html
    assert client.get("/p/sound-recorder/similar/", {"title": ""}).content.strip() == b""
