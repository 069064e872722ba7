"""Did this solve it? A shipped post's voters answer from the build's email (logged out),
on the post and on the build's page; too many "no" reopen the post and tell its team."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from orangefriday.accounts.models import User
from orangefriday.board.models import Post, Status, StatusChange
from orangefriday.conftest import make_fan
from orangefriday.core.errors import Conflict
from orangefriday.core.events import dispatch
from orangefriday.core.models import Event
from orangefriday.feedback.actions import answer_solved
from orangefriday.feedback.models import Answer
from orangefriday.feedback.solved import Asked, answer_token, answer_tokens, read_token, signer
from orangefriday.notifications.models import Notification, OutboxEmail
from orangefriday.planning.models import Claim
from orangefriday.releases.models import Build
from orangefriday.voting.actions import cast_vote

from .conftest import just_before

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://\S+/solved/(\S+)/\?answer=(yes|no)")


@pytest.fixture
def voters(build: Build) -> list[User]:
    """Five fans who voted for the first shipped idea ("Pause recording during calls")."""
    first = first_post(build)
    fans = [make_fan(f"voter{i}") for i in range(5)]
    for fan in fans:
        cast_vote(fan=fan, post_id=first.pk)
    return fans


def first_post(build: Build) -> Post:
    change = build.changes.select_related("post").order_by("position").first()
    assert change is not None and change.post is not None
    return change.post


def shipped_email(fan: User) -> OutboxEmail:
    """The email the build sent the fan (earlier ones told of the claims)."""
    return OutboxEmail.objects.get(fan=fan, key__startswith="build:")


def links(email: OutboxEmail) -> dict[str, str]:
    """The answer links of an email: "yes" and "no" to their paths."""
    return {
        answer: f"/solved/{token}/?answer={answer}" for token, answer in LINK.findall(email.body)
    }


def test_the_builds_email_asks_each_voter_with_a_signed_link(build, voters, alice):
    dispatch()  # the build.published event, as after the publication's commit

    email = shipped_email(voters[0])
    assert "Did 26.11.27 solve it for you?" in email.body
    found = links(email)
    assert set(found) == {"yes", "no"}
    token = found["no"].split("/")[2]
    assert read_token(token) == Asked(voters[0].pk, first_post(build).pk, build.pk)
    # alice wrote the ideas and follows them, but voted for none: told, not asked.
    assert "solve it" not in shipped_email(alice).body


def test_the_question_is_asked_in_each_voters_language(build, voters):
    voters[2].language = "zh-hans"
    voters[2].save(update_fields=["language"])
    dispatch()

    assert "解决你的问题了吗" in shipped_email(voters[2]).body
    assert "Did 26.11.27 solve it for you?" in shipped_email(voters[3]).body


def test_a_voter_answers_no_from_the_link_without_logging_in(build, voters):
    dispatch()
    no = links(shipped_email(voters[1]))["no"]
    visitor = Client()

    page = visitor.get(no)
    assert page.status_code == 200
    assert re.search(r'value="no"[^>]*checked', page.content.decode())  # chosen by the link
    assert not re.search(r'value="yes"[^>]*checked', page.content.decode())
    assert "Pause recording during calls" in page.content.decode()

    answered = visitor.post(no.split("?")[0], {"solved": "no", "comment": "Still rings mid-call"})
    assert answered.status_code == 302
    answer = Answer.objects.get()
    assert (answer.fan, answer.post, answer.build, answer.solved) == (
        voters[1],
        first_post(build),
        build,
        False,
    )
    assert answer.comment == "Still rings mid-call"
    event = Event.objects.get(kind="solution.answered")
    assert event.payload == {
        "post_id": answer.post_id,
        "build_id": build.pk,
        "fan_id": voters[1].pk,
        "solved": False,
        "changed": False,
    }
    assert event.actor_id == voters[1].pk
    # The page says what was answered, and a second answer replaces the first.
    assert "You said it is not solved." in visitor.get(answered["Location"]).content.decode()
    visitor.post(no.split("?")[0], {"solved": "yes"})
    answer.refresh_from_db()
    assert answer.solved is True and answer.comment == ""
    assert Answer.objects.count() == 1
    latest = Event.objects.filter(kind="solution.answered").order_by("pk").last()
    assert latest is not None and latest.payload["changed"] is True


@pytest.mark.parametrize(
    "token",
    ["nonsense", "a" * 300, "W10:1v2:abc"],
)
def test_a_bad_link_is_refused_with_a_page(build, voters, token):
    response = Client().get(f"/solved/{token}/")
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    assert not Answer.objects.exists()


def test_a_link_signed_for_something_else_or_tampered_is_refused(build, voters):
    from django.core import signing

    post = first_post(build)
    other_salt = signing.dumps([voters[0].pk, post.pk, build.pk], salt="other")
    good = answer_token(Asked(voters[0].pk, post.pk, build.pk))
    tampered = good.replace(
        good.split(":")[0], signing.dumps([voters[1].pk, post.pk, build.pk]).split(":")[0]
    )
    for token in (other_salt, tampered):
        assert Client().post(f"/solved/{token}/", {"solved": "no"}).status_code == 400
    assert not Answer.objects.exists()


def test_the_links_of_a_whole_email_chunk_are_djangos_own_signed_tokens(clock, build, voters):
    """The fan-out's token maker (made once per chunk) writes what Django's signer writes,
    and each token reads back as what it asks."""
    post = first_post(build)
    tokens = answer_tokens()
    for fan in voters:
        asked = Asked(fan.pk, post.pk, build.pk)
        token = tokens(asked)
        assert token == signer().sign_object([fan.pk, post.pk, build.pk])
        assert read_token(token) == asked


def test_answers_change_for_two_weeks_then_the_link_and_the_action_refuse(clock, build, voters):
    post = first_post(build)
    assert build.published_at is not None
    closes = build.published_at + timedelta(days=14)
    token = answer_token(Asked(voters[0].pk, post.pk, build.pk))
    answer_solved(fan=voters[0], post=post, build=build, solved=True)

    clock.move_to(just_before(closes))
    answer_solved(fan=voters[0], post=post, build=build, solved=False)

    clock.move_to(closes)
    with pytest.raises(Conflict, match=r"Answers about 26\.11\.27 closed on Fri 11 Dec"):
        answer_solved(fan=voters[0], post=post, build=build, solved=True)
    assert Answer.objects.get().solved is False
    # The link expired with the window (signed 14 days ago at most: now older).
    clock.move_to(closes + timedelta(seconds=1))
    assert read_token(token) is None


def test_only_the_posts_voters_answer_about_a_build_that_shipped_it(build, voters, bob, wish):
    post = first_post(build)
    with pytest.raises(PermissionDenied):
        answer_solved(fan=bob, post=post, build=build, solved=False)
    cast_vote(fan=voters[0], post_id=wish.pk)
    with pytest.raises(ValidationError) as refused:
        answer_solved(fan=voters[0], post=wish, build=build, solved=False)
    assert "build" in refused.value.message_dict
    with pytest.raises(ValidationError) as invisible:
        answer_solved(fan=voters[0], post=post, build=build, solved=False, comment="\u200b")
    assert "comment" in invisible.value.message_dict
    with pytest.raises(ValidationError) as long:
        answer_solved(fan=voters[0], post=post, build=build, solved=False, comment="x" * 1001)
    assert "comment" in long.value.message_dict
    assert not Answer.objects.exists()


def test_enough_no_reopens_the_post_with_a_system_note_and_tells_its_team(
    settings, build, voters, maya, lee, alice, rockets
):
    settings.SOLVED_REOPEN_MIN_ANSWERS = 4
    settings.SOLVED_REOPEN_SHARE = 0.75
    post = first_post(build)
    dispatch()  # the build's own emails and notifications first
    for fan, solved in zip(voters[:3], (False, False, False), strict=True):
        answer_solved(fan=fan, post=post, build=build, solved=solved)
    dispatch()
    post.refresh_from_db()
    assert post.status == Status.SHIPPED  # 3 of 3 said no, but fewer than 4 answered

    answer_solved(fan=voters[3], post=post, build=build, solved=True)  # 3 of 4: 75%
    dispatch()

    post.refresh_from_db()
    assert post.status == Status.OPEN
    note = StatusChange.objects.filter(post=post).last()
    assert note is not None and note.by is None
    assert (note.from_status, note.to_status) == ("shipped", "open")
    assert note.note == (
        "Reopened: 3 of the 4 voters who answered said that Sound Recorder 26.11.27 did not "
        "solve it."
    )
    reopened = Event.objects.get(kind="post.reopened")
    assert reopened.subject_id == post.pk and reopened.payload["build_id"] == build.pk
    # Back on the open board: team Rockets' claim is released, for any team to claim again.
    assert not Claim.objects.filter(post=post).exists()
    assert reopened.payload["team_id"] == rockets.pk
    told = Notification.objects.filter(post=post, message__contains="is open again")
    assert {n.fan.username for n in told} == {"maya", "lee"}  # team Rockets claimed it
    assert {n.message for n in told} == {
        "“Pause recording during calls” is open again: 3 of 4 voters said 26.11.27 did not solve it"
    }
    # Its followers hear that it is open again (the status change's own news).
    assert Notification.objects.filter(fan=alice, post=post, kind="status").exists()

    # More "no" change nothing: it reopens once.
    answer_solved(fan=voters[4], post=post, build=build, solved=False)
    dispatch()
    assert Event.objects.filter(kind="post.reopened").count() == 1


def test_a_share_below_the_rule_keeps_it_shipped(settings, build, voters):
    settings.SOLVED_REOPEN_MIN_ANSWERS = 4
    settings.SOLVED_REOPEN_SHARE = 0.5
    post = first_post(build)
    for fan, solved in zip(voters, (False, True, True, False, True), strict=True):
        answer_solved(fan=fan, post=post, build=build, solved=solved)
    dispatch()
    post.refresh_from_db()
    assert post.status == Status.SHIPPED  # 2 of 5 said no


def test_the_post_and_the_results_show_the_answers(logged_in, build, voters, bob):
    post = first_post(build)
    for fan, solved in zip(voters, (True, True, True, True, False), strict=True):
        answer_solved(fan=fan, post=post, build=build, solved=solved)

    page = Client().get(post.get_absolute_url()).content.decode()
    assert "solved for 80% of 5 voters who answered" in page
    results = Client().get(f"/builds/{build.pk}/feedback/").content.decode()
    assert "solved for 80% of 5 voters who answered" in results
    assert "no voter has answered yet" in results  # the two other ideas

    # A voter is asked on the post and on the build's page; bob, who did not vote, is not.
    voter = logged_in(make_fan("late_voter"))
    cast_vote(fan=User.objects.get(username="late_voter"), post_id=post.pk)
    assert (
        f'data-testid="solved-form-{post.pk}"'
        in voter.get(post.get_absolute_url()).content.decode()
    )
    assert (
        f'data-testid="solved-form-{post.pk}"'
        in voter.get(build.get_absolute_url()).content.decode()
    )
    assert "solved-form" not in logged_in(bob).get(post.get_absolute_url()).content.decode()


def test_answering_in_app_goes_back_to_the_post(logged_in, build, voters):
    post = first_post(build)
    client = logged_in(voters[0])
    page = client.get(post.get_absolute_url()).content.decode()
    action = re.search(r'action="(/solved/[^"]+/)"', page)
    assert action is not None
    response = client.post(action.group(1), {"solved": "no", "next": post.get_absolute_url()})
    assert response.status_code == 302 and response["Location"] == post.get_absolute_url()
    assert Answer.objects.get().solved is False


def test_a_form_without_an_answer_is_shown_again_with_the_error(build, voters):
    token = answer_token(Asked(voters[0].pk, first_post(build).pk, build.pk))
    response = Client().post(f"/solved/{token}/", {"solved": "maybe"})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not Answer.objects.exists()


def test_answering_is_rate_limited(rate_limits, settings, build, voters, recorder):
    settings.RATE_LIMITS["answer"] = "20/minute"  # a fan who joined today gets a tenth: 2
    post = first_post(build)
    answer_solved(fan=voters[0], post=post, build=build, solved=True)
    answer_solved(fan=voters[0], post=post, build=build, solved=False)
    with pytest.raises(ValidationError, match="Too many answers for now"):
        answer_solved(fan=voters[0], post=post, build=build, solved=True)
    assert Answer.objects.get().solved is False
