"""Must show 4 (trust): levels earned and lost as the clock moves, what the next level needs,
and what trust changes (limits, held links, the weight of flags)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from orangefriday.accounts.models import TrustLevel, User
from orangefriday.board.actions import add_comment, create_post
from orangefriday.board.models import Post, PostReader
from orangefriday.conftest import make_fan
from orangefriday.core.events import dispatch
from orangefriday.core.models import Event
from orangefriday.moderation.actions import (
    decide,
    flag_item,
    recompute_trust,
    recompute_trust_levels,
)
from orangefriday.moderation.models import FanDay, Flag, Review
from orangefriday.moderation.trust import Stats, earned_level, flag_weight, requirements
from orangefriday.moderation.visits import note_visit
from orangefriday.voting.models import Vote

NOW = timezone.now().replace(microsecond=0)


def stats(**figures) -> Stats:
    base = dict.fromkeys(
        [
            "account_days",
            "days_visited",
            "reading_minutes",
            "posts_read",
            "votes_given",
            "votes_received",
            "replies",
            "replies_received",
        ],
        0,
    )
    return Stats(**{**base, **figures})


BASIC = {"account_days": 2, "posts_read": 5, "reading_minutes": 10}
MEMBER = {
    **BASIC,
    "days_visited": 15,
    "posts_read": 20,
    "reading_minutes": 60,
    "votes_given": 1,
    "votes_received": 1,
    "replies": 3,
    "replies_received": 1,
}
REGULAR = {
    **MEMBER,
    "recent_days_visited": 50,
    "recent_posts_read": 25,
    "recent_posts_created": 100,
    "recent_replies": 10,
    "recent_votes_given": 30,
    "recent_votes_received": 20,
}


def test_levels_are_climbed_one_at_a_time_from_the_thresholds():
    assert earned_level(stats(), current=0) == TrustLevel.NEW
    assert earned_level(stats(**BASIC), current=0) == TrustLevel.BASIC
    assert earned_level(stats(**{**BASIC, "reading_minutes": 9}), current=0) == TrustLevel.NEW
    assert earned_level(stats(**MEMBER), current=0) == TrustLevel.MEMBER
    assert earned_level(stats(**REGULAR), current=1) == TrustLevel.REGULAR
    # Regular's share of the posts written lately: 25% of 100, so 24 is not enough.
    assert earned_level(stats(**{**REGULAR, "recent_posts_read": 24}), current=2) == 2


def test_member_is_kept_regular_is_lost_and_leaders_are_chosen():
    assert earned_level(stats(), current=TrustLevel.MEMBER) == TrustLevel.MEMBER
    assert earned_level(stats(**MEMBER), current=TrustLevel.REGULAR) == TrustLevel.MEMBER
    flagged = {**REGULAR, "recent_flags_upheld": 6}
    assert earned_level(stats(**flagged), current=TrustLevel.REGULAR) == TrustLevel.MEMBER
    sanctioned = {**REGULAR, "recently_sanctioned": True}
    assert earned_level(stats(**sanctioned), current=TrustLevel.REGULAR) == TrustLevel.MEMBER
    assert earned_level(stats(), current=TrustLevel.LEADER) == TrustLevel.LEADER


def test_what_the_next_level_needs_says_what_the_fan_has(settings):
    settings.TRUST_BASIC_POSTS_READ = 7  # every threshold is a setting
    needs = {str(r.label): (r.have, r.need, r.met) for r in requirements(1, stats(posts_read=3))}
    assert needs["posts read"] == (3, 7, False)


def test_a_flag_weighs_its_flaggers_trust_and_standing():
    assert flag_weight(0, upheld=0, rejected=0) == 0.5
    assert flag_weight(3, upheld=0, rejected=0) == 2.0
    assert flag_weight(1, upheld=3, rejected=0) == 2.0  # upheld flags raise it (at most x2)
    assert flag_weight(1, upheld=0, rejected=3) == 0.5  # rejected ones lower it (at least /2)


@pytest.mark.django_db
def test_a_new_fan_becomes_basic_a_day_later_and_member_after_weeks_of_visits(
    alice, recorder, settings
):
    settings.TRUST_MEMBER_DAYS_VISITED = 3  # three visits, to keep the test short
    with time_machine.travel(NOW, tick=False) as clock:
        fan = make_fan("newbie")
        posts = [
            create_post(author=alice, product=recorder, kind="idea", title=f"Idea {n}")
            for n in range(20)
        ]
        PostReader.objects.bulk_create(PostReader(post=p, fan=fan) for p in posts[:5])
        for minute in range(0, 11):  # ten minutes of reading, a request a minute
            note_visit(fan.pk, timezone.now() + timedelta(minutes=minute))
        assert recompute_trust(fan) == TrustLevel.NEW  # joined less than a day ago

        clock.shift(timedelta(days=1, minutes=1))
        assert recompute_trust(fan) == TrustLevel.BASIC
        changed = Event.objects.get(kind="trust.level_changed")
        assert changed.subject_id == fan.pk and changed.payload == {"old": 0, "new": 1}

        # Weeks of taking part: reading, an hour a day, voting, commenting, replied to.
        PostReader.objects.bulk_create(PostReader(post=p, fan=fan) for p in posts[5:])
        Vote.objects.create(post=posts[0], fan=fan)
        own = create_post(author=fan, product=recorder, kind="idea", title="Mine", limited=False)
        Vote.objects.create(post=own, fan=alice)
        for n in range(3):
            add_comment(author=fan, post=posts[n], body=f"Agreed {n}", limited=False)
        add_comment(author=alice, post=own, body="Nice one", limited=False)
        for _ in range(2):
            clock.shift(timedelta(days=1))
            start = timezone.now()
            for minute in range(0, 61, 5):
                note_visit(fan.pk, start + timedelta(minutes=minute))
        clock.shift(timedelta(days=1))
        note_visit(fan.pk, timezone.now())
        assert FanDay.objects.filter(fan=fan).count() == 4
        assert recompute_trust(fan) == TrustLevel.MEMBER
        fan.refresh_from_db()
        assert fan.trust_level == TrustLevel.MEMBER


@pytest.mark.django_db
def test_a_regular_who_stays_away_loses_the_level_to_the_schedulers_round(
    alice, recorder, settings
):
    for name in ("DAYS_VISITED", "REPLIES", "VOTES_GIVEN", "VOTES_RECEIVED"):
        setattr(settings, f"TRUST_REGULAR_{name}", 1)
    with time_machine.travel(NOW, tick=False) as clock:
        fan = make_fan("steady")
        User.objects.filter(pk=fan.pk).update(
            trust_level=TrustLevel.REGULAR, date_joined=NOW - timedelta(days=300)
        )
        fan.refresh_from_db()
        post = create_post(author=fan, product=recorder, kind="idea", title="Steady idea")
        other = create_post(author=alice, product=recorder, kind="idea", title="Another")
        Vote.objects.create(post=post, fan=alice)
        Vote.objects.create(post=other, fan=fan)
        add_comment(author=fan, post=other, body="Yes", limited=False)
        PostReader.objects.create(post=other, fan=fan)
        note_visit(fan.pk, timezone.now())
        assert recompute_trust(fan) == TrustLevel.REGULAR

        clock.shift(timedelta(days=101))  # nothing since: the window holds nothing
        assert recompute_trust_levels() >= 1
        fan.refresh_from_db()
        assert fan.trust_level == TrustLevel.MEMBER


@pytest.mark.django_db
@pytest.mark.usefixtures("holds")
def test_a_level_0_fans_first_link_waits_for_review(alice, mo, recorder, client, logged_in):
    spammer = make_fan("linker")
    post = create_post(
        author=spammer,
        product=recorder,
        kind="idea",
        title="Great deals",
        body="See https://example.com/deals",
    )
    assert post.visibility == "held"
    plain = create_post(author=spammer, product=recorder, kind="idea", title="Plain words")
    assert plain.visibility == "visible"
    trusted = create_post(
        author=alice, product=recorder, kind="idea", title="A link", body="https://x.org"
    )
    User.objects.filter(pk=alice.pk).update(trust_level=1)
    alice.refresh_from_db()
    assert trusted.visibility == "held"  # alice was level 0 then
    assert (
        create_post(
            author=alice, product=recorder, kind="idea", title="Linked", body="https://x.org"
        ).visibility
        == "visible"
    )
    dispatch()

    assert "Great deals" not in client.get("/p/sound-recorder/").content.decode()
    assert client.get(post.get_absolute_url()).status_code == 404
    own = logged_in(spammer).get(post.get_absolute_url()).content.decode()
    assert "Waiting for review" in own
    review = Review.objects.get(post=post)
    assert review.held
    decide(by=mo, review=review, decision="approve")
    assert Post.objects.get(pk=post.pk).visibility == "visible"
    assert "Great deals" in client.get("/p/sound-recorder/").content.decode()


@pytest.mark.django_db
def test_enough_trusted_flags_hide_an_item_until_a_moderator_decides(alice, recorder, client):
    post = create_post(author=alice, product=recorder, kind="idea", title="Buy my recorder")
    newcomers = [make_fan(f"new{n}") for n in range(5)]
    for fan in newcomers:  # 5 x 0.5 = 2.5: below the threshold of 3
        flag_item(flagger=fan, post=post, reason="spam")
    assert Post.objects.get(pk=post.pk).visibility == "visible"
    member = make_fan("member")
    User.objects.filter(pk=member.pk).update(trust_level=TrustLevel.MEMBER)
    member.refresh_from_db()
    flag_item(flagger=member, post=post, reason="spam")  # + 1.5 = 4
    post.refresh_from_db()
    assert (post.visibility, post.visibility_reason) == ("hidden", "spam")
    assert "Hidden by moderators: spam" in client.get(post.get_absolute_url()).content.decode()
    review = Review.objects.get(post=post)
    assert review.weight == pytest.approx(4.0) and Flag.objects.filter(review=review).count() == 6


@pytest.mark.django_db
def test_one_flag_per_fan_per_item_and_none_on_your_own(alice, bob, recorder):
    from django.core.exceptions import ValidationError

    from orangefriday.core.errors import Conflict

    post = create_post(author=alice, product=recorder, kind="idea", title="Mute calls")
    flag_item(flagger=bob, post=post, reason="off_topic")
    with pytest.raises(Conflict):
        flag_item(flagger=bob, post=post, reason="spam")
    with pytest.raises(ValidationError):
        flag_item(flagger=alice, post=post, reason="spam")
    with pytest.raises(ValidationError):
        flag_item(flagger=make_fan("carl"), post=post, reason="other")  # says nothing
    assert Flag.objects.count() == 1
