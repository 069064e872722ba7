"""The boards' default sort, "best": votes per reader, new posts tried on the first page,
settled posts left out of the default lists (issue 12, "The ranking")."""

import pytest
from django.db.models import F

from orangefriday.board.actions import create_post
from orangefriday.board.models import Post, Status
from orangefriday.board.ranked import DEFAULT_SORT, SORTS
from orangefriday.board.scoring import rescore
from orangefriday.core.paging import PAGE_SIZE
from orangefriday.ranking.best import EXPLORE_SLOTS

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(alice, recorder):
    """A post on the recorder's board with these stored counts (as votes and reads by
    trusted fans would leave them)."""

    def make(title: str, votes: int = 0, readers: int = 0, status: str = Status.OPEN) -> Post:
        made = create_post(author=alice, product=recorder, kind="idea", title=title, limited=False)
        Post.objects.filter(pk=made.pk).update(
            status=status,
            votes_count=votes,
            weighted_votes=votes,
            readers_count=readers,
            weighted_readers=readers,
            hot_score=F("hot_score") + votes,
        )
        rescore([made.pk])
        made.refresh_from_db()
        return made

    return make


def titles(response) -> list[str]:
    return [item["title"] for item in response.json()["items"]]


def test_best_is_the_default_and_the_other_sorts_stay(api_as, post):
    assert DEFAULT_SORT == "best" == next(iter(SORTS))
    post("Lucky", votes=2, readers=3)
    post("Wanted", votes=600, readers=3000)
    post("Early", votes=900, readers=9000)
    client = api_as(None)
    # 2 of 3 is mostly luck; 20% of 3,000 readers is known; 10% of 9,000 is less wanted.
    assert titles(client.get("/posts", product="sound-recorder")) == ["Wanted", "Lucky", "Early"]
    assert titles(client.get("/posts", product="sound-recorder", sort="top")) == [
        "Early",
        "Wanted",
        "Lucky",
    ]
    for sort in ("hot", "trending", "new"):
        assert client.get("/posts", product="sound-recorder", sort=sort).status_code == 200


def test_the_board_page_is_in_the_best_order_by_default(client, post, recorder):
    post("Lucky", votes=2, readers=3)
    post("Wanted", votes=600, readers=3000)
    page = client.get(recorder.get_absolute_url()).content.decode()
    assert page.index("Wanted") < page.index("Lucky")
    assert 'sort=best" aria-current="page"' in page


@pytest.mark.parametrize("settled", [Status.SHIPPED, Status.DECLINED, Status.DUPLICATE])
def test_settled_posts_leave_the_default_lists_and_filters_still_show_them(
    api_as, client, post, recorder, settled
):
    post("Still wanted", votes=5, readers=50)
    post("Settled", votes=500, readers=600, status=settled)
    api = api_as(None)
    for sort in SORTS:
        assert titles(api.get("/posts", product="sound-recorder", sort=sort)) == ["Still wanted"]
    assert titles(api.get("/posts", product="sound-recorder", status=settled)) == ["Settled"]
    assert "Settled" not in client.get(recorder.get_absolute_url()).content.decode()
    filtered = client.get(recorder.get_absolute_url(), {"status": settled})
    assert "Settled" in filtered.content.decode()


@pytest.fixture
def busy_board(post):
    """A board of 30 posts well read (the first 20 better than the rest), and 6 new posts
    nobody has read yet."""
    judged = [post(f"Judged {n}", votes=400 - 10 * n, readers=2000) for n in range(30)]
    new = [post(f"New {n}") for n in range(6)]
    return judged, new


def test_the_last_places_of_the_first_page_try_posts_too_new_to_judge(api_as, busy_board):
    _, new = busy_board
    first = titles(api_as(None).get("/posts", product="sound-recorder"))
    assert len(first) == PAGE_SIZE
    kept = PAGE_SIZE - EXPLORE_SLOTS
    # The top places are the best-scored posts, in order; the tried posts come after them.
    assert first[:kept] == [f"Judged {n}" for n in range(kept)]
    assert set(first[kept:]) <= {post.title for post in new}
    assert len(first[kept:]) == EXPLORE_SLOTS


def test_the_next_pages_continue_the_ranking_without_repeating_the_first(api_as, busy_board):
    judged, new = busy_board
    api = api_as(None)
    pages = [api.get("/posts", product="sound-recorder", page=n).json() for n in (1, 2, 3)]
    shown = [item["title"] for page in pages for item in page["items"]]
    assert sorted(shown) == sorted(post.title for post in judged + new)  # each exactly once
    assert [page["has_next"] for page in pages] == [True, False, False]
    second = [item["title"] for item in pages[1]["items"]]
    ranked_rest = [t for t in shown[PAGE_SIZE:] if t.startswith("Judged")]
    assert second[: len(ranked_rest)] == ranked_rest == [f"Judged {n}" for n in range(16, 30)]


def test_a_search_in_the_best_order_is_the_ranking_only(api_as, busy_board):
    found = titles(api_as(None).get("/posts", product="sound-recorder", q="judged", sort="best"))
    assert found[:PAGE_SIZE] == [f"Judged {n}" for n in range(PAGE_SIZE)]


def test_the_planning_board_ranks_by_best_by_default(api_as, post, recorder):
    post("Lucky", votes=2, readers=3)
    post("Wanted", votes=600, readers=3000)
    plan = api_as(None).get("/products/sound-recorder/plan").json()
    assert plan["sort"] == "best"
    assert [row["title"] for row in plan["top"]] == ["Wanted", "Lucky"]


def test_the_post_page_says_why_it_ranks_here(client, post):
    wanted = post("Wanted", votes=600, readers=3000)
    Post.objects.filter(pk=wanted.pk).update(weighted_votes=580.3, weighted_readers=2950.6)
    rescore([wanted.pk])
    line = why_line(client.get(wanted.get_absolute_url()).content.decode())
    assert "600 votes from 3000 readers" in line
    assert "weighted by the fans' trust, 580.3 votes from 2950.6 readers" in line
    assert "Its score is 19.6%" in line and "typical 5.0%" in line  # 580.9 / 2962.6
    assert 'href="/about/ranking/#best"' in line


def test_a_settled_post_says_it_is_on_no_default_list(client, post):
    shipped = post("Shipped", votes=60, readers=300, status=Status.SHIPPED)
    line = why_line(client.get(shipped.get_absolute_url()).content.decode())
    assert "It is shipped, so it is on no default list" in line


def test_the_api_gives_the_counts_and_the_score(api_as, post):
    wanted = post("Wanted", votes=600, readers=3000)
    item = api_as(None).get(f"/posts/{wanted.pk}").json()
    assert (item["votes_count"], item["readers_count"]) == (600, 3000)
    assert (item["weighted_votes"], item["weighted_readers"]) == (600.0, 3000.0)
    assert item["best_score"] == pytest.approx((600 + 0.6) / (3000 + 12))


def test_the_about_page_explains_best_in_plain_words(client):
    page = client.get("/about/ranking/").content.decode()
    assert 'id="best"' in page and "Best (the default)" in page
    assert "600 votes from 3,000 readers is 20%" in page


def why_line(page: str) -> str:
    start = page.index('data-testid="why-it-ranks"')
    return " ".join(page[start : page.index("</p>", start)].split())
