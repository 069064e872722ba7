"""A vote makes its fan a reader, once; votes and reads weigh by the fan's trust level, and
a burst of new accounts weighs nothing (issue 12, "Readers and weights")."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from orangefriday.accounts.models import TrustLevel
from orangefriday.board.actions import create_post
from orangefriday.board.models import Post, PostReader
from orangefriday.board.reads import flush_reads
from orangefriday.conftest import make_fan
from orangefriday.ranking.best import BURST_UNTRUSTED_VOTES, UNTRUSTED_WEIGHT
from orangefriday.voting.actions import cast_vote, merge_posts, withdraw_vote
from orangefriday.voting.models import Vote

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


@pytest.fixture(autouse=True)
def _large_buffer(settings):
    settings.READS_FLUSH_EVERY = 1000
    settings.READS_FLUSH_SECONDS = 3600


@pytest.fixture
def idea(alice, recorder) -> Post:
    return create_post(author=alice, product=recorder, kind="idea", title="Mute while recording")


def fan(name: str, level: int = TrustLevel.MEMBER):
    made = make_fan(name)
    made.trust_level = level
    made.save(update_fields=["trust_level"])
    return made


def counts(post: Post) -> tuple:
    post.refresh_from_db()
    return post.votes_count, post.readers_count, post.weighted_votes, post.weighted_readers


def test_a_vote_from_the_board_list_makes_the_fan_a_reader_once(logged_in, idea, recorder):
    carol = fan("carol")
    browser = logged_in(carol)
    url = reverse("voting:vote", args=[idea.pk])
    board = recorder.get_absolute_url()
    assert (
        browser.post(url, {"action": "vote", "next": board}, HTTP_HX_REQUEST="true").status_code
        == 200
    )
    assert browser.post(url, {"action": "vote", "next": board}).status_code == 302
    flush_reads()
    assert counts(idea) == (1, 1, 1.0, 1.0)
    assert PostReader.objects.filter(post=idea, fan=carol).count() == 1


def test_a_vote_from_the_api_makes_the_fan_a_reader_once(api_as, idea):
    carol = fan("carol")
    assert api_as(carol).put(f"/posts/{idea.pk}/vote").status_code == 200
    assert api_as(carol).put(f"/posts/{idea.pk}/vote").status_code == 200
    assert counts(idea) == (1, 1, 1.0, 1.0)


def test_reading_the_post_then_voting_counts_one_reader(logged_in, idea):
    carol = fan("carol")
    logged_in(carol).get(idea.get_absolute_url())
    cast_vote(fan=carol, post_id=idea.pk)  # before the read is flushed
    flush_reads()
    logged_in(carol).get(idea.get_absolute_url())  # and again after
    flush_reads()
    assert counts(idea) == (1, 1, 1.0, 1.0)


def test_withdrawing_a_vote_keeps_the_reader(idea):
    carol = fan("carol")
    cast_vote(fan=carol, post_id=idea.pk)
    withdraw_vote(fan=carol, post_id=idea.pk)
    assert counts(idea) == (0, 1, 0.0, 1.0)


def test_each_vote_and_reader_row_keeps_the_fans_level_at_that_moment(idea):
    newcomer = fan("newcomer", TrustLevel.NEW)
    cast_vote(fan=newcomer, post_id=idea.pk)
    newcomer.trust_level = TrustLevel.REGULAR  # earned later: the vote keeps what it was
    newcomer.save(update_fields=["trust_level"])
    vote, reader = Vote.objects.get(), PostReader.objects.get()
    assert (vote.trust_level, vote.weight) == (TrustLevel.NEW, UNTRUSTED_WEIGHT)
    assert (reader.trust_level, reader.weight) == (TrustLevel.NEW, UNTRUSTED_WEIGHT)
    assert counts(idea) == (1, 1, UNTRUSTED_WEIGHT, UNTRUSTED_WEIGHT)


def test_a_vote_weighs_what_its_fan_weighed_when_she_first_read(logged_in, idea):
    newcomer = fan("newcomer", TrustLevel.NEW)
    logged_in(newcomer).get(idea.get_absolute_url())
    flush_reads()
    newcomer.trust_level = TrustLevel.BASIC
    newcomer.save(update_fields=["trust_level"])
    cast_vote(fan=newcomer, post_id=idea.pk)
    # She read as a new account and votes at the rate she read: a weighted reader's vote.
    assert counts(idea) == (1, 1, UNTRUSTED_WEIGHT, UNTRUSTED_WEIGHT)


def test_reads_weigh_by_the_readers_level(logged_in, idea):
    logged_in(fan("newcomer", TrustLevel.NEW)).get(idea.get_absolute_url())
    logged_in(fan("member")).get(idea.get_absolute_url())
    flush_reads()
    assert counts(idea) == (0, 2, 0.0, 1.0 + UNTRUSTED_WEIGHT)


def test_a_merge_unions_the_readers(mo, logged_in, idea, bob, recorder):
    duplicate = create_post(author=bob, product=recorder, kind="idea", title="Silence the phone")
    carol, dave, erin = fan("carol"), fan("dave"), fan("erin", TrustLevel.NEW)
    logged_in(carol).get(idea.get_absolute_url())
    logged_in(dave).get(idea.get_absolute_url())
    logged_in(dave).get(duplicate.get_absolute_url())  # read both: counts once
    flush_reads()
    cast_vote(fan=erin, post_id=duplicate.pk)  # a reader of the duplicate by her vote

    merge_posts(by=mo, duplicate=duplicate, original=idea)

    assert set(PostReader.objects.filter(post=idea).values_list("fan__username", flat=True)) == {
        "carol",
        "dave",
        "erin",
    }
    assert counts(idea) == (1, 3, UNTRUSTED_WEIGHT, 2 + UNTRUSTED_WEIGHT)


def brigade(idea: Post, size: int, *, every: timedelta, clock) -> list:
    accounts = [fan(f"sock{n}", TrustLevel.NEW) for n in range(size)]
    for account in accounts:
        cast_vote(fan=account, post_id=idea.pk)
        clock.shift(every)
    return accounts


def test_a_burst_of_new_accounts_weighs_nothing_its_first_votes_included(idea, logged_in):
    for n in range(3):
        cast_vote(fan=fan(f"member{n}"), post_id=idea.pk)
    before = counts(idea)
    with time_machine.travel(NOW, tick=False) as clock:
        brigade(idea, BURST_UNTRUSTED_VOTES + 4, every=timedelta(minutes=3), clock=clock)
        # Within the hour after the burst, a new account's read and vote count nothing either.
        late = fan("late", TrustLevel.NEW)
        logged_in(late).get(idea.get_absolute_url())
        flush_reads()
        cast_vote(fan=late, post_id=idea.pk)
    votes, readers, weighted_votes, weighted_readers = counts(idea)
    assert (votes, readers) == (3 + BURST_UNTRUSTED_VOTES + 5, 3 + BURST_UNTRUSTED_VOTES + 5)
    assert (weighted_votes, weighted_readers) == before[2:] == (3.0, 3.0)
    assert set(Vote.objects.filter(trust_level=0).values_list("weight", flat=True)) == {0.0}


def test_a_trusted_fan_still_counts_fully_during_a_burst(idea):
    with time_machine.travel(NOW, tick=False) as clock:
        brigade(idea, BURST_UNTRUSTED_VOTES, every=timedelta(minutes=1), clock=clock)
        cast_vote(fan=fan("member"), post_id=idea.pk)
    assert counts(idea)[2:] == (1.0, 1.0)


def test_the_same_new_accounts_dripping_over_hours_count_a_little(idea):
    with time_machine.travel(NOW, tick=False) as clock:
        accounts = brigade(idea, BURST_UNTRUSTED_VOTES + 4, every=timedelta(minutes=9), clock=clock)
    weighted = len(accounts) * UNTRUSTED_WEIGHT
    assert counts(idea)[2:] == pytest.approx((weighted, weighted))


def test_newcomers_among_more_trusted_voters_in_the_hour_are_no_burst(idea):
    with time_machine.travel(NOW, tick=False) as clock:
        for n in range(BURST_UNTRUSTED_VOTES + 1):
            cast_vote(fan=fan(f"member{n}"), post_id=idea.pk)
        brigade(idea, BURST_UNTRUSTED_VOTES, every=timedelta(minutes=2), clock=clock)
    weighted = BURST_UNTRUSTED_VOTES + 1 + BURST_UNTRUSTED_VOTES * UNTRUSTED_WEIGHT
    assert counts(idea)[2:] == pytest.approx((weighted, weighted))


def test_after_the_burst_hour_new_accounts_count_again(idea):
    with time_machine.travel(NOW, tick=False) as clock:
        brigade(idea, BURST_UNTRUSTED_VOTES, every=timedelta(minutes=1), clock=clock)
        clock.shift(timedelta(hours=1, minutes=1))
        cast_vote(fan=fan("newcomer", TrustLevel.NEW), post_id=idea.pk)
    assert counts(idea)[2:] == pytest.approx((UNTRUSTED_WEIGHT, UNTRUSTED_WEIGHT))


def test_opening_the_post_through_the_api_makes_the_fan_a_reader(api_as, idea):
    carol = fan("carol")
    assert api_as(carol).get(f"/posts/{idea.pk}").status_code == 200
    assert api_as(None).get(f"/posts/{idea.pk}").status_code == 200
    flush_reads()
    idea.refresh_from_db()
    assert (idea.readers_count, idea.anonymous_views) == (1, 1)
