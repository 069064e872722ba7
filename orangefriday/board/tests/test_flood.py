"""A flood from a brand-new account (issue 10): 25 posts tried within a minute. Only what a
new fan's limit allows is stored, and the default board keeps showing what fans voted for."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from orangefriday.board.actions import create_post
from orangefriday.board.models import Post
from orangefriday.board.ranked import DEFAULT_SORT, BoardFilter, board_posts, explores, ranked_page
from orangefriday.board.scoring import rescore
from orangefriday.conftest import make_fan
from orangefriday.ranking.scores import hot_score

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rate_limits")]

NOW = timezone.now().replace(microsecond=0)
ATTEMPTS = 25


@pytest.fixture
def quiet_board(camera, alice):
    """Camera's board: 20 posts of the last two weeks, each with a few votes from the few
    dozen fans who read it."""
    for n in range(20):
        post = create_post(
            author=alice, product=camera, kind="idea", title=f"Camera idea {n}", limited=False
        )
        created = NOW - timedelta(hours=8 * (n + 1))
        votes, readers = 3 + n % 5, 30 + n
        Post.objects.filter(pk=post.pk).update(
            created_at=created,
            votes_count=votes,
            hot_score=hot_score(votes, created),
            readers_count=readers,
            weighted_votes=votes,
            weighted_readers=readers,
        )
        rescore([post.pk])
    return camera


@pytest.fixture
def flood(quiet_board, api_as):
    """The attack: a brand-new account sends 25 posts in under a minute."""
    with time_machine.travel(NOW, tick=False) as clock:
        spammer = make_fan("spammer")
        api = api_as(spammer)
        answers = []
        for n in range(ATTEMPTS):
            answers.append(api.post("/posts", {"product": "camera", "title": f"BUY NOW {n}"}))
            clock.shift(timedelta(seconds=2))
    return spammer, answers


def test_only_what_a_new_fan_may_post_is_stored(flood):
    spammer, answers = flood
    accepted = [a for a in answers if a.status_code == 201]
    refused = [a for a in answers if a.status_code == 429]
    # A new fan gets a tenth of the member's 30 a day and 5 a minute: 3 a day, 1 a minute.
    assert len(accepted) == 1 and len(refused) == ATTEMPTS - 1
    assert all(int(a["Retry-After"]) <= 60 for a in refused)
    assert Post.objects.filter(author=spammer).count() == 1


def test_none_of_the_new_accounts_posts_is_in_the_top_ten_of_the_default_board(flood, camera):
    spammer, _ = flood
    board = BoardFilter(product_id=camera.pk, sort=DEFAULT_SORT)
    top = ranked_page(board_posts(board), explore=explores(board), number=1)
    assert not [post for post in top.items[:10] if post.author_id == spammer.pk]
