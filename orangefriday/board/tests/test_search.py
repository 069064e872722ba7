"""Search over titles and bodies, on whichever database the tests run."""

import pytest
from django.db import connection
from django.test import Client

from orangefriday.board import search
from orangefriday.board.actions import create_post
from orangefriday.board.models import Post, search_columns
from orangefriday.board.search import by_relevance, filter_by_search, similar_posts
from orangefriday.conftest import make_fan
from orangefriday.core.tests.test_text import parsed_elements
from orangefriday.voting.actions import cast_vote

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


def ranked(query: str) -> list[str]:
    return [post.title for post in by_relevance(Post.objects.all(), query)]


@pytest.fixture
def idea(alice, recorder):
    """An idea on the Sound Recorder board with `votes` votes."""

    def post(title: str, body: str = "", votes: int = 0) -> Post:
        created = create_post(author=alice, product=recorder, kind="idea", title=title, body=body)
        for i in range(votes):
            cast_vote(fan=make_fan(f"fan{i}-of-{created.pk}"), post_id=created.pk)
        return created

    return post


def test_a_two_character_chinese_query_finds_the_post(posts):
    assert found("录音") == {posts["calls"].pk}
    assert found("记者") == {posts["calls"].pk}  # from the body
    assert found("音录") == set()  # the characters must be adjacent, in order


def test_words_match_in_title_or_body_whatever_the_case(posts):
    assert found("MUTE") == {posts["mute"].pk}
    assert found("interviews") == {posts["mute"].pk}
    assert found("cloud recordings") == {posts["cloud"].pk}


def test_english_words_match_by_their_stem(posts):
    assert found("muted") == {posts["mute"].pk}
    assert found("muting phones") == {posts["mute"].pk}
    assert found("recording") == {posts["mute"].pk, posts["cloud"].pk}
    assert found("interview") == {posts["mute"].pk}


def test_the_last_word_may_be_unfinished(posts):
    assert found("recor") == {posts["mute"].pk, posts["cloud"].pk}
    assert found("mute pho") == {posts["mute"].pk}
    assert found("pho mute") == set()  # only the last word is a start


def test_common_words_are_words_on_both_engines(posts):
    assert found("the cloud") == {posts["cloud"].pk}
    assert found("the") == {posts["mute"].pk, posts["cloud"].pk}


def test_punctuation_and_quotes_do_not_break_the_query(posts):
    assert found('"mute" (phone:*') == {posts["mute"].pk}
    assert found("*:& <-> '") == set(Post.objects.values_list("pk", flat=True))
    assert found("AND OR NOT NEAR") == set()


def test_an_edited_title_is_searchable_by_its_new_words(posts):
    post = posts["night"]
    post.title = "Astrophotography mode"
    for field, value in search_columns(post.title, post.body).items():
        setattr(post, field, value)
    post.save()
    assert found("astrophotography") == {post.pk}
    assert found("night") == set()


def test_a_deleted_post_is_not_found(posts):
    posts["mute"].delete()
    assert found("mute") == set()


@pytest.fixture(params=["few matches", "common words on a big board"])
def ranking_path(request, monkeypatch):
    """by_relevance ranks every match, or, for words that match more posts than its window
    holds, the matches among the hottest: with a window of 2 posts every search here is
    such a search, and with a window as big as the board, the same posts are found."""
    if request.param != "few matches":
        monkeypatch.setattr(search, "SORT_WINDOW", 2)
        monkeypatch.setattr(search, "_more_than", lambda posts, count: True)
    return request.param


def test_an_exact_title_match_ranks_first(idea, ranking_path):
    exact = idea("Night mode")
    idea(
        "Night mode, night mode: a better night mode for night recording",
        "Night mode. Night mode everywhere, night mode all night.",
        votes=3,
    )
    idea("Night mode tweaks")
    assert ranked("night mode")[0] == exact.title
    assert ranked("  NIGHT   Mode ")[0] == exact.title


def test_title_words_rank_above_body_words(idea, ranking_path):
    in_body = idea("Interview settings", "A switch to mute calls, and mute alarms too.", votes=3)
    in_title = idea("Mute calls while recording")
    assert ranked("muted")[:2] == [in_title.title, in_body.title]


def test_equal_relevance_goes_to_the_most_voted(idea, ranking_path):
    idea("Louder playback")
    louder = idea("Louder speaker", votes=2)
    assert ranked("louder")[0] == louder.title


def test_a_common_search_is_ranked_among_the_hottest_posts(idea, monkeypatch):
    cold = idea("Louder speaker, louder")
    warm, hot = idea("Louder alarms", votes=1), idea("Louder playback", votes=2)
    assert ranked("louder")[0] == cold.title  # the best match, when every match is ranked
    monkeypatch.setattr(search, "SORT_WINDOW", 2)  # "louder" is then in every hot post
    monkeypatch.setattr(search, "RELEVANCE_WINDOW", 2)  # and the board is big
    assert set(ranked("louder")) == {warm.title, hot.title}
    monkeypatch.setattr(search, "RELEVANCE_WINDOW", 3)  # a board this small is ranked whole
    assert ranked("louder")[0] == cold.title
    assert ranked("speaker") == [cold.title]  # a rarer word still finds it


def test_the_search_page_ranks_by_relevance_and_marks_the_matches(client, posts, idea):
    idea(
        "Interview settings",
        "Please let me **mute** every alarm while I record an interview.",
        votes=3,
    )
    page = client.get("/search/", {"q": "muted"}).content.decode()
    first, second = page.index("<mark>Mute</mark> the phone"), page.index("Interview settings")
    assert first < second
    assert "Please let me <mark>mute</mark> every alarm" in page
    assert 'aria-current="page">Relevance</a>' in page


def test_a_fans_markup_in_a_matched_title_or_body_comes_out_escaped(client, idea):
    idea(
        '<script>alert("mute")</script> Mute button',
        body='Mute <img src=x onerror=alert(1)> and <script>alert("body")</script>',
    )
    page = client.get("/search/", {"q": "mute"}).content.decode()
    results = page[page.index('data-testid="post-list"') :]
    assert "<script>" not in results and "<img" not in results
    assert "&lt;script&gt;alert(&quot;<mark>mute</mark>&quot;)&lt;/script&gt;" in results
    snippet = results[results.index('data-testid="snippet"') :]
    snippet = snippet[: snippet.index("</p>")]
    assert "<mark>Mute</mark> &lt;img src=x onerror=alert(1)&gt;" in snippet
    tags = {tag for tag, _ in parsed_elements(snippet[snippet.index(">") + 1 :])}
    assert tags == {"mark"}


def test_a_search_can_still_be_sorted_by_the_boards_orders(client, idea):
    older = idea("Mute alarms", votes=2)
    newer = idea("Mute")
    by_default = client.get("/p/sound-recorder/", {"q": "mute"}).content.decode()
    assert by_default.index("<mark>Mute</mark></a>") < by_default.index("Mute</mark> alarms")
    by_top = client.get("/p/sound-recorder/", {"q": "mute", "sort": "top"}).content.decode()
    assert by_top.index(older.title.replace("Mute", "<mark>Mute</mark>")) < by_top.index(
        f'<a href="{newer.get_absolute_url()}"><mark>Mute</mark></a>'
    )
    assert 'aria-current="page">Top</a>' in by_top
    # The filter form keeps a sort the fan picked, and otherwise lets a search be by relevance.
    assert '<input type="hidden" name="sort" value="top">' in by_top
    assert 'name="sort"' not in client.get("/p/sound-recorder/").content.decode()


def test_the_api_ranks_a_search_by_relevance_unless_sorted(api_as, idea):
    client = api_as(None)
    exact = idea("Mute")
    idea("Mute alarms", votes=2)
    items = client.get("/posts", q="mute").json()["items"]
    assert [item["title"] for item in items] == ["Mute", "Mute alarms"]
    assert items[0]["highlight"] == {"title": "<mark>Mute</mark>", "snippet": ""}
    top = client.get("/posts", q="mute", sort="top").json()["items"]
    assert [item["title"] for item in top] == ["Mute alarms", "Mute"]
    assert client.get("/posts").json()["items"][0]["highlight"] is None
    refused = client.get("/posts", sort="relevance")
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "sort"
    assert exact.pk == items[0]["id"]


def test_the_board_page_and_search_page_search(posts):
    client = Client()
    board = client.get("/p/sound-recorder/", {"q": "录音"}).content.decode()
    assert "通话时不要中断<mark>录音</mark>" in board and "Mute the phone" not in board
    everywhere = client.get("/search/", {"q": "mode"}).content.decode()
    assert "Better night <mark>mode</mark>" in everywhere


def test_similar_posts_suggest_likely_duplicates_on_the_same_board(posts, recorder):
    titles = [p.title for p in similar_posts(product_id=recorder.pk, title="please mute my phone")]
    assert titles[0] == "Mute the phone while recording"
    assert [p.title for p in similar_posts(product_id=recorder.pk, title="muted phones")] == [
        "Mute the phone while recording"
    ]
    chinese = similar_posts(product_id=recorder.pk, title="录音被打断")
    assert [p.pk for p in chinese] == [posts["calls"].pk]
    assert similar_posts(product_id=recorder.pk, title="night mode") == []


def test_the_similar_fragment_lists_matches_while_typing(client, posts):
    html = client.get("/p/sound-recorder/similar/", {"title": "mute phone"}).content.decode()
    assert "Mute the phone while recording" in html
    assert client.get("/p/sound-recorder/similar/", {"title": ""}).content.strip() == b""


def test_the_index_is_the_engines_own(db):
    """Guards the DDL of search_index.V2 (a table rebuild on SQLite drops the triggers)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'board_post_search'")
            assert "gin (search_vector)" in cursor.fetchone()[0]
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            triggers = {row[0] for row in cursor.fetchall()}
            assert {"board_post_fts_insert", "board_post_fts_update"} <= triggers
