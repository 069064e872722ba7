"""The "best" sort: how much the fans who read a post want it.

How the board ranks posts, in plain words (for `/about/ranking/`):

Every post is ranked by an estimate of one thing: of the fans who read it, how many want it.
A post's readers are the signed-in fans who opened it or voted on it, each counted once; its
score is, in essence, its votes divided by its readers. 600 votes from 3,000 readers is 20%.

Three readers and two votes would be 67%, which is mostly luck. So every post starts as if
it already had a dozen readers who voted at the product's typical rate (one reader in twenty
until the product has a history; then the board measures it from the product's own posts,
and refits it regularly). These imagined readers count for a new post and fade away under
real ones: 2 votes from 3 readers ranks at about 17%, below 600 votes from 3,000 at 20%.

Time plays no part. An old post keeps its place only while the fans who read it keep
wanting it; having been early earns it nothing, and a new post that fans want more rises
above it on the day it is posted.

New posts get a chance: the last 4 places of the first page go to the posts the board cannot
judge yet, those read by too few fans to be sure they do not belong higher. Each post's
votes so far leave a range of rates it could really have, wide when few fans have read it;
the 4 places go to the posts whose range reaches highest. A new post whose first readers
like it soon gets one of them; the more fans read a post, the narrower its range, until it
stands on its score alone.

Not every account weighs the same. A new account, one that has not yet earned its first
trust level by reading and visiting on a few days, counts as 0.3 of a reader and its vote
as 0.3 of a vote; when a post gets 8 or more votes from such accounts within an hour, and
more of them than from the other fans, they count for nothing, and so do the new accounts'
reads and votes on that post in the hour that follows. The weight applies to a fan's
reading and to her vote alike, so a quieter account is still a fair reader: it cannot
push a post up more than it would hold it down by reading without voting.

For engineers:

- `best_score` is the posterior mean of a post's vote rate under a Beta prior (the product's
  `TypicalRate`): (votes + rate * strength) / (readers + strength), on weighted counts.
  Of all the ways to turn votes and readers into one number, it is the estimate with the
  least expected squared error when posts differ the way the product's posts do (empirical
  Bayes; Efron and Morris, "Stein's paradox in statistics", 1977).
- It depends only on the post's weighted counts and the product's `TypicalRate`, so it is
  stored on the post and indexed, recomputed when a vote or a read flush changes the counts
  and for all of a product's posts when `refit_typical_rate` runs (periodically), never
  computed over all posts on a request. `explore_priority` is stored and indexed beside
  it, recomputed at the same moments; `first_page` assembles the first page from the first
  rows of the two indexes.
- `activity_weight` gives each vote and read its weight from the fan's trust level and the
  post's last hour when the fan first became the post's reader; both are stored on the
  reader and vote rows. Its rule is the simulation's (trusted: trust level 1 or more, the
  board's version of the simulation's "a week old or active on two earlier days";
  untrusted: 0.3; a burst: 0), except that a burst also needs the untrusted votes to
  outnumber the trusted ones in the hour. On the simulation's default seeds that changes
  nothing (no genuine post-hour reaches 8 untrusted votes, and both rules catch every
  brigade hour); at larger scales it spares the newcomers of busy posts.
- In the closed-loop simulation (`../shared/sim/`), the same functions run through
  `orangefriday/ranking/simulation.py:best`:
  `.venv/bin/python ../shared/sim/simulate.py --formula orangefriday/ranking/simulation.py:best`
"""

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar


@dataclass(frozen=True)
class TypicalRate:
    """A product's typical vote rate, and how many readers' worth of evidence it counts for.

    It is the Beta(rate * strength, (1 - rate) * strength) prior of the post's vote rate: a
    post with no readers scores `rate`, and a post with `strength` readers is judged half on
    its own votes and half on the product's habit.
    """

    rate: float
    strength: float


# The simulation's community (appeal ~ Beta(0.6, 12): mean 0.048, strength 12.6) is our best
# description of a board before it has its own history: about one reader in twenty votes.
DEFAULT_TYPICAL = TypicalRate(rate=0.05, strength=12.0)

# The refit's strength is kept within these bounds. Below 10, the votes of a handful of
# readers would outweigh everything the product knows (2 votes from 3 readers must not beat
# 600 from 3,000); above 100, the typical rate would outweigh the hundred or so readers a new
# post finds on its first day, and a great new post would wait days to rise.
MIN_STRENGTH = 10.0
MAX_STRENGTH = 100.0

# A product needs this many posts with readers before its own rate replaces the default: with
# fewer, the spread between posts, and so the strength, cannot be told from luck.
MIN_POSTS_TO_FIT = 30

# The refit's weights depend on the strength it estimates; on simulated boards of strength 10
# to 60, three rounds from the default settle it to 0.1%, and five leave a margin.
FIT_ROUNDS = 5


def _checked(votes: float, readers: float) -> tuple[float, float]:
    """Counts as the formula reads them: a vote makes its fan a reader, so the readers are at
    least the votes (rows written before readers were counted may have fewer)."""
    if votes < 0 or readers < 0 or not math.isfinite(votes) or not math.isfinite(readers):
        raise ValueError(f"counts must be finite and non-negative, got {votes=} {readers=}")
    return votes, max(readers, votes)


def best_score(*, weighted_votes: float, weighted_readers: float, typical: TypicalRate) -> float:
    """The post's estimated vote rate: its votes per reader, with few readers pulled towards
    the product's typical rate. Between 0 and 1; higher ranks first (ties: newer first)."""
    votes, readers = _checked(weighted_votes, weighted_readers)
    return (votes + typical.rate * typical.strength) / (readers + typical.strength)


def refit_typical_rate(counts: Iterable[tuple[float, float]]) -> TypicalRate:
    """Fit a product's typical rate from its posts' (weighted votes, weighted readers).

    The method of moments for the beta-binomial with unequal readers (Kleinman, "Proportions
    with extraneous variance", 1973): the rate is a weighted mean of the posts' rates, and the
    strength comes from how much more the rates spread than luck alone would make them. Each
    post weighs by how much it says about the rate of a typical post: a post with r readers
    weighs r / (1 + (r - 1) / (strength + 1)), so a post read by thousands counts like a few
    dozen readers, not like thousands (the board shows the best posts most, and their rates
    would otherwise pass for the typical one).
    """
    checked = (_checked(votes, readers) for votes, readers in counts)
    rated = [(votes / readers, readers) for votes, readers in checked if readers >= 1]
    if len(rated) < MIN_POSTS_TO_FIT:
        return DEFAULT_TYPICAL
    typical = DEFAULT_TYPICAL
    for _ in range(FIT_ROUNDS):
        typical = _refit_round(rated, typical.strength)
    return typical


def _refit_round(rated: list[tuple[float, float]], strength: float) -> TypicalRate:
    """One round of the moment fit over (rate, readers) of each post: weights from the
    strength so far, then the typical rate and the intra-post correlation
    rho = 1 / (strength + 1) that make the observed spread the expected one."""
    rho = 1 / (strength + 1)
    weights = [readers / (1 + rho * (readers - 1)) for _, readers in rated]
    total = sum(weights)
    rate = sum(w * p for w, (p, _) in zip(weights, rated, strict=True)) / total
    if rate <= 0 or rate >= 1:
        return TypicalRate(rate=DEFAULT_TYPICAL.rate, strength=strength)
    spread = sum(w * (p - rate) ** 2 for w, (p, _) in zip(weights, rated, strict=True))
    # E[spread] = rate (1 - rate) * sum c (rho + (1 - rho) / r), with c = w (1 - w / total)
    shares = [w * (1 - w / total) for w in weights]
    luck = sum(c / readers for c, (_, readers) in zip(shares, rated, strict=True))
    excess = sum(shares) - luck
    fitted_rho = (spread / (rate * (1 - rate)) - luck) / excess if excess > 0 else 0.0
    fitted_rho = min(max(fitted_rho, 1 / (MAX_STRENGTH + 1)), 1 / (MIN_STRENGTH + 1))
    return TypicalRate(rate=rate, strength=1 / fitted_rho - 1)


# --- exploration: new posts get read ----------------------------------------------------

PAGE_SIZE = 20

# A fifth of the first page: fans still see the 16 best-scored posts, and the lower places are
# read enough (by about one session in five) to give a post tried there its next hundred
# readers within hours. They are the last places, so the top ten, which teams plan from, is
# always the ten best-scored posts.
EXPLORE_SLOTS = 4

# How far up a post's range reaches: the 99.9% quantile (1 - 1/1000), because a product's
# board sees about a thousand posts a week and each is judged against that many. With 95%
# (the Wilson bound's confidence), one in twenty good posts would be written off by the
# first unlucky readers, and dozens a week would never be tried again; at 1 in 1,000,
# about one a week. In the closed-loop simulation this raised precision@10 at the Friday
# cut from 0.88-0.90 to 0.91-0.94 on two separate sets of seeds (README, "Ranking").
EXPLORE_Z = 3.090232


def explore_priority(
    *, weighted_votes: float, weighted_readers: float, typical: TypicalRate
) -> float:
    """How strongly a post deserves one of the first page's tries: the upper end of the 99.9%
    range of its rate (optimism in the face of uncertainty, as in Bayes-UCB).

    A post read by few fans has a wide range and a priority far above its score; a post read
    by thousands has a priority barely above its score, so it is tried only when it is nearly
    on the page anyway. No fixed count of readers decides when a post is judged: it is judged
    once its range no longer reaches the first page.
    """
    votes, readers = _checked(weighted_votes, weighted_readers)
    mean = best_score(weighted_votes=votes, weighted_readers=readers, typical=typical)
    # The posterior is a Beta whose two parameters add up to readers + strength.
    spread = math.sqrt(mean * (1 - mean) / (readers + typical.strength + 1))
    return mean + EXPLORE_Z * spread


PostT = TypeVar("PostT", bound=Hashable)


def first_page(
    ranked: Sequence[PostT],
    promising: Sequence[PostT],
    *,
    page_size: int = PAGE_SIZE,
    slots: int = EXPLORE_SLOTS,
) -> list[PostT]:
    """The first page: the best-scored posts, with the last `slots` places given to the posts
    of highest `explore_priority` that are not already above them.

    `ranked` is the board by `best_score` (best first), `promising` the board by
    `explore_priority` (highest first); the first `page_size` of each are enough. A place no
    promising post takes goes to the next ranked post. With no more posts than fit
    on the page there is nothing to try: the page is the ranking. The next pages continue
    the ranking, without the posts this page showed.
    """
    if len(ranked) <= page_size:
        return list(ranked)
    kept = list(ranked[: page_size - slots])
    shown = set(kept)
    tried = [post for post in promising if post not in shown][:slots]
    shown.update(tried)
    rest = [post for post in ranked[page_size - slots :] if post not in shown]
    return (kept + tried + rest)[:page_size]


# --- weights: who counts how much ---------------------------------------------------------

# A fan counts fully from trust level 1 (`accounts.TrustLevel.BASIC`) on: the level a new
# account earns by reading and visiting on a few days, the board's version of the
# simulation's trust signal (a week old or active on two earlier days). The number is
# written here, not imported, so that the simulation can load this file without Django.
TRUSTED_LEVEL = 1

# An untrusted account's read and vote count this much: real newcomers still move a post a
# little, a hundred fresh accounts only as much as thirty fans.
UNTRUSTED_WEIGHT = 0.3

# A burst: at least this many untrusted votes on one post within an hour, and more of them
# than trusted votes in that hour; a link passed around to make accounts, not newcomers
# finding a post. Newcomers come with the fans: in the simulated weeks of 10,000 fans no post
# gets 8 untrusted votes in an hour, but with 30,000 fans popular posts do (up to 19), among
# at least four times as many trusted votes, while a brigade's hours are all untrusted. A
# count alone would silence the newcomers of every busy post; the comparison keeps them.
BURST_UNTRUSTED_VOTES = 8
BURST_WINDOW = timedelta(hours=1)


def is_trusted(trust_level: int) -> bool:
    """Whether a fan of this trust level counts fully."""
    return trust_level >= TRUSTED_LEVEL


def is_burst(*, untrusted_votes_last_hour: int, trusted_votes_last_hour: int) -> bool:
    """Whether a post's last hour of votes is a burst, the counts including the vote just
    cast."""
    return (
        untrusted_votes_last_hour >= BURST_UNTRUSTED_VOTES
        and untrusted_votes_last_hour > trusted_votes_last_hour
    )


def burst_goes_on(burst_until: datetime | None, now: datetime) -> bool:
    """Whether a post is still in the hour after a burst (`burst_until` is when it ends, None
    when the post never had one)."""
    return burst_until is not None and now < burst_until


def activity_weight(*, trust_level: int, in_burst: bool) -> float:
    """The weight of a fan's read of a post and of her vote on it.

    It is taken when she first becomes the post's reader (a vote makes her one) and her vote
    carries the same weight, so a weighted reader votes at the rate she reads. Once a burst
    is reached, the untrusted votes and reads of that hour already counted are weighed again,
    which makes them 0 too, and so is the untrusted activity of the hour that follows: a
    burst adds nothing to the post, its first votes included.
    """
    if is_trusted(trust_level):
        return 1.0
    return 0.0 if in_burst else UNTRUSTED_WEIGHT
