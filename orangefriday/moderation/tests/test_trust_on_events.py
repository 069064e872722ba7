"""Must show 4 (trust), between the scheduler's rounds: a fan one comment or one vote short
of the next level crosses it when the event of that comment or vote milestone is handled,
and a regular who is silenced loses the level at once; events that cannot change a fan's
level cost no counting."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from orangefriday.accounts.models import TrustLevel, User
from orangefriday.board.actions import add_comment, create_post
from orangefriday.board.models import PostReader
from orangefriday.conftest import make_fan
from orangefriday.core.events import dispatch
from orangefriday.core.models import Event
from orangefriday.moderation.actions import recompute_trust, silence
from orangefriday.moderation.consumers import (
    RECEIVED_A_REPLY,
    RECEIVED_VOTES,
    WROTE_A_COMMENT,
    on_taking_part,
)
from orangefriday.moderation.trust import could_climb
from orangefriday.moderation.visits import note_visit
from orangefriday.voting.actions import cast_vote

NOW = timezone.now().replace(microsecond=0)


def test_an_event_counts_only_for_a_level_whose_requirements_it_adds_to():
    # Basic asks for days and reading: a comment or votes cannot make a new fan basic.
    assert not could_climb(TrustLevel.NEW, WROTE_A_COMMENT)
    assert not could_climb(TrustLevel.NEW, RECEIVED_VOTES)
    assert could_climb(TrustLevel.BASIC, WROTE_A_COMMENT)
    assert could_climb(TrustLevel.BASIC, RECEIVED_A_REPLY)
    assert could_climb(TrustLevel.MEMBER, RECEIVED_VOTES)
    assert not could_climb(TrustLevel.MEMBER, RECEIVED_A_REPLY)  # regular does not ask it
    assert not could_climb(TrustLevel.REGULAR, WROTE_A_COMMENT)  # leaders are chosen
    assert not could_climb(TrustLevel.LEADER, RECEIVED_VOTES)


def level_of(fan: User) -> int:
    return User.objects.values_list("trust_level", flat=True).get(pk=fan.pk)


def shown_level(client, fan: User) -> str:
    page = client.get(reverse("accounts:profile", args=[fan.username])).content.decode()
    start = page.index('data-testid="trust-level">') + len('data-testid="trust-level">')
    return page[start : page.index("</strong>", start)]


@pytest.mark.django_db
def test_a_basic_fan_one_comment_short_becomes_a_member_when_it_is_handled(
    alice, recorder, client, settings
):
    settings.TRUST_MEMBER_DAYS_VISITED = 2  # two days of visits, to keep the test short
    with time_machine.travel(NOW, tick=False) as clock:
        fan = make_fan("newbie")
        posts = [
            create_post(author=alice, product=recorder, kind="idea", title=f"Idea {n}")
            for n in range(20)
        ]
        PostReader.objects.bulk_create(PostReader(post=p, fan=fan) for p in posts)
        for minute in range(0, 61, 5):  # an hour of reading, a request every five minutes
            note_visit(fan.pk, timezone.now() + timedelta(minutes=minute))
        # Everything member asks but account age (basic's first) and the third comment.
        cast_vote(fan=fan, post_id=posts[0].pk)
        own = create_post(author=fan, product=recorder, kind="idea", title="Mine")
        cast_vote(fan=alice, post_id=own.pk)
        add_comment(author=alice, post=own, body="Nice one")
        for n in range(2):
            add_comment(author=fan, post=posts[n], body=f"Agreed {n}")
        dispatch()
        assert level_of(fan) == TrustLevel.NEW  # joined less than a day ago

        clock.shift(timedelta(days=1, minutes=1))
        note_visit(fan.pk, timezone.now())  # the second day visited
        fan.refresh_from_db()
        assert recompute_trust(fan) == TrustLevel.BASIC  # one comment short of member
        assert shown_level(client, fan) == "1 · basic"

        add_comment(author=fan, post=posts[2], body="Agreed 2")
        assert level_of(fan) == TrustLevel.BASIC  # the comment itself counts nothing
        dispatch()

        assert level_of(fan) == TrustLevel.MEMBER
        changed = Event.objects.filter(kind="trust.level_changed", subject_id=fan.pk).last()
        assert changed is not None and changed.payload == {"old": 1, "new": 2}
        assert shown_level(client, fan) == "2 · member"


@pytest.mark.django_db
def test_a_member_one_vote_short_becomes_a_regular_at_the_vote_milestone(
    alice, recorder, client, settings
):
    # Regular's window asks little here, but 10 votes received: VOTE_MILESTONES' first.
    for name in ("DAYS_VISITED", "REPLIES", "VOTES_GIVEN"):
        setattr(settings, f"TRUST_REGULAR_{name}", 1)
    settings.TRUST_REGULAR_VOTES_RECEIVED = 10
    with time_machine.travel(NOW, tick=False):
        fan = make_fan("steady")
        User.objects.filter(pk=fan.pk).update(trust_level=TrustLevel.MEMBER)
        mine = create_post(author=fan, product=recorder, kind="idea", title="Steady idea")
        other = create_post(author=alice, product=recorder, kind="idea", title="Another")
        cast_vote(fan=fan, post_id=other.pk)
        add_comment(author=fan, post=other, body="Yes")
        note_visit(fan.pk, timezone.now())
        voters = [make_fan(f"voter{n}") for n in range(10)]
        for voter in voters[:9]:
            cast_vote(fan=voter, post_id=mine.pk)
        dispatch()
        assert level_of(fan) == TrustLevel.MEMBER  # nine votes received: one short

        cast_vote(fan=voters[9], post_id=mine.pk)
        dispatch()

        assert level_of(fan) == TrustLevel.REGULAR
        assert shown_level(client, fan) == "3 · regular"


@pytest.mark.django_db
def test_a_silenced_regular_loses_the_level_when_the_silence_is_handled(
    alice, mo, recorder, settings
):
    for name in ("DAYS_VISITED", "REPLIES", "VOTES_GIVEN", "VOTES_RECEIVED"):
        setattr(settings, f"TRUST_REGULAR_{name}", 1)
    fan = make_fan("steady")
    User.objects.filter(pk=fan.pk).update(trust_level=TrustLevel.MEMBER)
    fan.refresh_from_db()
    mine = create_post(author=fan, product=recorder, kind="idea", title="Steady idea")
    other = create_post(author=alice, product=recorder, kind="idea", title="Another")
    cast_vote(fan=fan, post_id=other.pk)
    cast_vote(fan=alice, post_id=mine.pk)
    add_comment(author=fan, post=other, body="Yes")
    note_visit(fan.pk, timezone.now())
    assert recompute_trust(fan) == TrustLevel.REGULAR
    dispatch()

    silence(by=mo, fan=fan, until=timezone.now() + timedelta(days=3), reason="spam")
    assert level_of(fan) == TrustLevel.REGULAR
    dispatch()

    assert level_of(fan) == TrustLevel.MEMBER


@pytest.mark.django_db
def test_a_new_fans_comment_costs_no_counting(alice, recorder, django_assert_max_num_queries):
    post = create_post(author=alice, product=recorder, kind="idea", title="Mute calls")
    newbie = make_fan("newbie")
    add_comment(author=newbie, post=post, body="Yes please")
    event = Event.objects.get(kind="comment.added")

    # The post's author, then both fans' levels: neither can climb by it (both are new).
    with django_assert_max_num_queries(2):
        on_taking_part(event)
    assert level_of(newbie) == level_of(alice) == TrustLevel.NEW
