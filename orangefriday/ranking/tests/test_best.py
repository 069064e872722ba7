"""The "best" sort as fans would check it: pure functions, no database."""

import math

import numpy as np
import pytest

from orangefriday.ranking.best import (
    BURST_UNTRUSTED_VOTES,
    DEFAULT_TYPICAL,
    EXPLORE_SLOTS,
    MAX_STRENGTH,
    MIN_POSTS_TO_FIT,
    MIN_STRENGTH,
    PAGE_SIZE,
    UNTRUSTED_WEIGHT,
    activity_weight,
    best_score,
    explore_priority,
    first_page,
    is_burst,
    refit_typical_rate,
)

OLD_FAN = 2  # trust level: member
FRESH_ACCOUNT = 0  # trust level: new


def simulated_board(posts=1500, seed=7):
    """Counts of a board like the simulation's: appeal ~ Beta(0.6, 12), readers from a
    handful to thousands, each reader voting with the post's appeal."""
    rng = np.random.default_rng(seed)
    appeal = rng.beta(0.6, 12, posts)
    readers = np.round(np.exp(rng.uniform(np.log(5), np.log(5000), posts)))
    votes = rng.binomial(readers.astype(int), appeal)
    return list(zip(votes.astype(float).tolist(), readers.tolist(), strict=True))


FITTED = refit_typical_rate(simulated_board())


def score(votes, readers, typical=DEFAULT_TYPICAL):
    return best_score(weighted_votes=votes, weighted_readers=readers, typical=typical)


def priority(votes, readers, typical=DEFAULT_TYPICAL):
    return explore_priority(weighted_votes=votes, weighted_readers=readers, typical=typical)


@pytest.mark.parametrize("typical", [DEFAULT_TYPICAL, FITTED], ids=["default", "fitted"])
def test_three_readers_and_two_votes_do_not_outrank_three_thousand_readers_and_600(typical):
    assert score(2, 3, typical) < score(600, 3000, typical)


def test_the_examples_fans_read_on_the_about_page_hold():
    assert score(600, 3000) == pytest.approx(0.20, abs=0.001)
    assert score(2, 3) == pytest.approx(0.17, abs=0.005)


def test_a_post_nobody_has_read_scores_the_typical_rate():
    assert score(0, 0) == pytest.approx(DEFAULT_TYPICAL.rate)
    assert score(0, 0, FITTED) == pytest.approx(FITTED.rate)


def test_more_votes_from_the_same_readers_rank_higher():
    assert score(31, 200) > score(30, 200)


def test_more_readers_without_votes_rank_lower():
    assert score(30, 201) < score(30, 200)


def test_an_old_post_gains_nothing_from_being_early():
    # Monday's post collected its votes while the board was empty; yesterday's post is
    # wanted by twice the share of the fans who read it.
    mondays, yesterdays = (300, 3000), (60, 300)
    assert mondays[0] > yesterdays[0]  # what "top" sorts by
    assert score(*yesterdays) > score(*mondays)


def test_a_vote_makes_its_fan_a_reader():
    # Votes cast before readers were counted have no reader row: they count as both.
    assert score(5, 0) == score(5, 5)


@pytest.mark.parametrize("counts", [(-1, 10), (1, -10), (math.nan, 10), (1, math.inf)])
def test_impossible_counts_are_refused(counts):
    with pytest.raises(ValueError, match="non-negative"):
        score(*counts)
    with pytest.raises(ValueError, match="non-negative"):
        priority(*counts)


# --- the typical rate --------------------------------------------------------------------


def test_the_refit_finds_the_boards_typical_rate_and_strength():
    # The board's posts are drawn from Beta(0.6, 12): rate 0.048, strength 12.6.
    assert FITTED.rate == pytest.approx(0.6 / 12.6, abs=0.006)
    assert FITTED.strength == pytest.approx(12.6, rel=0.25)


def test_the_most_read_posts_do_not_pass_for_the_typical_one():
    # The board shows its best posts most: 10 posts read by 10,000 fans at 40%, 500 posts
    # read by 100 at about 5%. Pooling the votes would say 30%; the typical post is at 5%.
    rng = np.random.default_rng(3)
    typical_posts = [(float(v), 100.0) for v in rng.binomial(100, rng.beta(2, 38, 500))]
    best_posts = [(4000.0, 10_000.0)] * 10
    fitted = refit_typical_rate(typical_posts + best_posts)
    assert fitted.rate < 0.07


def test_a_young_board_keeps_the_default_typical_rate():
    board = [(9.0, 10.0)] * (MIN_POSTS_TO_FIT - 1) + [(0.0, 0.0)] * 500
    assert refit_typical_rate(board) == DEFAULT_TYPICAL


def test_posts_alike_give_the_greatest_strength():
    assert refit_typical_rate([(100.0, 1000.0)] * 100).strength == pytest.approx(MAX_STRENGTH)


def test_posts_all_different_give_the_least_strength():
    board = [(0.0, 500.0), (500.0, 500.0)] * 50
    assert refit_typical_rate(board).strength == pytest.approx(MIN_STRENGTH)


def test_a_board_without_a_single_vote_keeps_the_default_rate():
    fitted = refit_typical_rate([(0.0, 300.0)] * 100)
    assert fitted.rate == DEFAULT_TYPICAL.rate


# --- exploration ---------------------------------------------------------------------------


def board_page(posts, typical=DEFAULT_TYPICAL):
    """The first page of a board of {name: (votes, readers)}, as the board assembles it."""

    def ordered(by):
        return sorted(posts, key=lambda name: -by(posts[name][0], posts[name][1], typical))

    return first_page(ordered(score), ordered(priority))


def judged_board():
    """Thirty posts each read by 3,000 fans, from 40% down to 25.5% of them voting."""
    return {f"judged {i}": (3000 * (0.4 - i * 0.005), 3000.0) for i in range(30)}


def test_a_post_with_few_readers_is_explored():
    board = judged_board()
    board["new, liked by its first readers"] = (3.0, 8.0)
    page = board_page(board)
    assert score(3, 8) < score(*board["judged 19"])  # its score alone is off the page
    assert "new, liked by its first readers" in page[PAGE_SIZE - EXPLORE_SLOTS :]
    assert page[: PAGE_SIZE - EXPLORE_SLOTS] == [f"judged {i}" for i in range(16)]


def test_a_post_read_by_thousands_is_not_tried_again():
    board = judged_board()
    board["judged, unloved"] = (30.0, 3000.0)
    assert "judged, unloved" not in board_page(board)


def test_the_first_page_tries_posts_only_in_its_last_places():
    ranked = [f"post {i}" for i in range(40)]
    promising = ["post 39", "post 3", "post 38", "post 37", "post 36", "post 35"]
    page = first_page(ranked, promising)
    assert page == [*ranked[:16], "post 39", "post 38", "post 37", "post 36"]


def test_places_no_promising_post_takes_go_to_the_next_ranked_posts():
    ranked = [f"post {i}" for i in range(40)]
    assert first_page(ranked, ["post 2", "post 30"]) == [*ranked[:16], "post 30", *ranked[16:19]]


def test_a_board_that_fits_on_one_page_is_its_ranking():
    ranked = [f"post {i}" for i in range(PAGE_SIZE)]
    assert first_page(ranked, list(reversed(ranked))) == ranked


def test_the_more_fans_read_a_post_the_less_it_is_tried_beyond_its_score():
    gaps = [priority(0.2 * r, r) - score(0.2 * r, r) for r in (10, 100, 1000, 10_000)]
    assert gaps == sorted(gaps, reverse=True)
    # The range narrows as one over the square root of the readers: 100 times the readers,
    # about a tenth of the reach beyond the score.
    assert gaps[-1] < gaps[1] / 9


# --- weights --------------------------------------------------------------------------------


def weight(trust_level, untrusted_votes_last_hour=1, trusted_votes_last_hour=0):
    burst = is_burst(
        untrusted_votes_last_hour=untrusted_votes_last_hour,
        trusted_votes_last_hour=trusted_votes_last_hour,
    )
    return activity_weight(trust_level=trust_level, in_burst=burst)


def cast(votes, readers, weights):
    """Counts after fans with these weights became readers and voted."""
    return votes + sum(weights), readers + sum(weights)


def test_a_burst_of_untrusted_votes_adds_nothing():
    # 40 accounts made today vote for a post within an hour, beside 2 fans; each vote also
    # reads it. Once the eighth arrives, that hour's untrusted votes are weighed again.
    burst = [weight(FRESH_ACCOUNT, 40, trusted_votes_last_hour=2) for _ in range(40)]
    assert score(*cast(20, 400, burst)) == score(20, 400)


def test_the_first_votes_of_a_burst_count_until_it_is_recognised_then_not_at_all():
    first_seven = [weight(FRESH_ACCOUNT, n) for n in range(1, BURST_UNTRUSTED_VOTES)]
    assert first_seven == [UNTRUSTED_WEIGHT] * (BURST_UNTRUSTED_VOTES - 1)
    assert weight(FRESH_ACCOUNT, BURST_UNTRUSTED_VOTES) == 0.0


def test_newcomers_among_the_fans_of_a_busy_post_are_no_burst():
    # A popular post at a busy hour: 20 newcomers among 200 fans voting for it.
    assert weight(FRESH_ACCOUNT, 20, trusted_votes_last_hour=200) == UNTRUSTED_WEIGHT
    assert weight(FRESH_ACCOUNT, 20, trusted_votes_last_hour=19) == 0.0


def test_untrusted_votes_dripped_over_hours_count_a_little():
    drip = [weight(FRESH_ACCOUNT, untrusted_votes_last_hour=4) for _ in range(40)]
    trusted = [weight(OLD_FAN) for _ in range(40)]
    assert score(20, 400) < score(*cast(20, 400, drip)) < score(*cast(20, 400, trusted))


def test_trusted_fans_count_fully_even_in_a_burst():
    assert weight(OLD_FAN, untrusted_votes_last_hour=500) == 1.0


@pytest.mark.parametrize(
    ("trust_level", "expected"), [(0, UNTRUSTED_WEIGHT), (1, 1.0), (2, 1.0), (4, 1.0)]
)
def test_a_fan_counts_fully_from_the_first_trust_level_on(trust_level, expected):
    assert weight(trust_level) == expected
