"""The beta-tester programme: the quiz and its attempts a day, places, leaving and its
lock-out, the weekly duties checked when Sunday 24:00 passes, deductions, and internal
builds seen only by testers and engineers. The clock is Sound Recorder's Monday 23 Nov
2026, 09:00 Shanghai time, moved where a rule depends on time."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from orangefriday.board.actions import add_comment, create_post
from orangefriday.core.events import dispatch, record
from orangefriday.moderation.actions import feature
from orangefriday.notifications.models import Notification
from orangefriday.releases.cuts import cut_internal_build
from orangefriday.releases.publishing import publish_build
from orangefriday.reputation import models
from orangefriday.reputation.testers import (
    QuestionDraft,
    QuizRefused,
    check_duties,
    leave,
    standing,
    take_quiz,
    write_programme,
)

from .conftest import QUIZ, local, right_answers, wrong_answers

pytestmark = pytest.mark.django_db


def test_a_fan_who_passes_becomes_a_tester_and_one_who_fails_does_not(
    programme, product, alice, bob
):
    passed = take_quiz(fan=alice, product=product, answers=right_answers(programme))
    failed = take_quiz(fan=bob, product=product, answers=wrong_answers(programme))
    assert (passed.attempt.score, passed.tester is not None) == (100, True)
    assert (failed.attempt.score, failed.tester) == (0, None)
    with pytest.raises(QuizRefused, match="already a tester"):
        take_quiz(fan=alice, product=product, answers=right_answers(programme))


def test_every_question_needs_an_answer_of_its_own(programme, product, alice):
    answers = right_answers(programme)
    first = next(iter(answers))
    with pytest.raises(ValidationError, match="has no answer"):
        take_quiz(fan=alice, product=product, answers={first: answers[first]})
    other = next(c for q, c in answers.items() if q != first)
    with pytest.raises(ValidationError, match="has no answer"):
        take_quiz(fan=alice, product=product, answers={**answers, first: other})


def test_three_attempts_a_day_product_time(programme, product, bob, clock):
    for _ in range(3):
        take_quiz(fan=bob, product=product, answers=wrong_answers(programme))
    with pytest.raises(QuizRefused, match=r"try again from 2026-11-24 00:00 \(Asia/Shanghai\)"):
        take_quiz(fan=bob, product=product, answers=right_answers(programme))
    clock.move_to(local(2026, 11, 23, 23, 59))
    with pytest.raises(QuizRefused):
        take_quiz(fan=bob, product=product, answers=right_answers(programme))
    clock.move_to(local(2026, 11, 24, 0, 0))
    assert take_quiz(fan=bob, product=product, answers=right_answers(programme)).tester


def test_a_fan_who_passes_when_every_place_is_taken_waits(programme, product, maya, alice, bob):
    write_programme(by=maya, product=product, places=1, pass_mark=100)
    take_quiz(fan=alice, product=product, answers=right_answers(programme))
    late = take_quiz(fan=bob, product=product, answers=right_answers(programme))
    assert late.attempt.passed and late.full and late.tester is None


def test_a_tester_who_leaves_may_apply_again_after_14_days(programme, product, alice, clock):
    take_quiz(fan=alice, product=product, answers=right_answers(programme))
    clock.move_to(local(2026, 11, 24, 12, 0))
    leave(fan=alice, product=product)
    found = standing(programme, alice, local(2026, 11, 24, 12, 0))
    assert found.tester is None and found.last is not None and found.last.status == "left"
    assert found.locked_until == local(2026, 12, 8, 12, 0)
    clock.move_to(local(2026, 12, 8, 11, 59))
    with pytest.raises(QuizRefused, match="apply again from 2026-12-08 12:00"):
        take_quiz(fan=alice, product=product, answers=right_answers(programme))
    clock.move_to(local(2026, 12, 8, 12, 0))
    assert take_quiz(fan=alice, product=product, answers=right_answers(programme)).tester


def bug_with_log(fan, product, title="Crash when paused"):
    log = SimpleUploadedFile("logcat.txt", b"E/Recorder: boom\n")
    return create_post(author=fan, product=product, kind="bug", title=title, log=log)


def test_a_tester_who_misses_a_week_is_removed_for_30_days(programme, product, alice, bob, clock):
    for fan in (alice, bob):
        take_quiz(fan=fan, product=product, answers=right_answers(programme))
    clock.move_to(local(2026, 11, 25, 10, 0))
    bug_with_log(alice, product)
    create_post(author=alice, product=product, kind="idea", title="Bookmarks in a recording")
    create_post(author=bob, product=product, kind="idea", title="Louder playback")
    # A bug report without a log is not the duty.
    create_post(author=bob, product=product, kind="bug", title="It crashed")

    clock.move_to(local(2026, 11, 29, 23, 59))  # Sunday, before 24:00: nothing yet
    assert check_duties(now=local(2026, 11, 29, 23, 59)) == 0
    found = standing(programme, bob, local(2026, 11, 29, 23, 59))
    assert [str(m) for m in found.missing] == ["a bug report with a log file"]

    clock.move_to(local(2026, 11, 30, 0, 0))
    assert check_duties(now=local(2026, 11, 30, 0, 0)) == 1
    assert check_duties(now=local(2026, 11, 30, 0, 1)) == 0  # once per week
    assert models.DutyWeek.objects.count() == 2
    bob_now = standing(programme, bob, local(2026, 11, 30, 0, 0))
    assert bob_now.tester is None and bob_now.last is not None
    assert bob_now.last.status == "removed"
    assert "Nov 23 to Nov 29: no bug report with a log file" in bob_now.last.end_reason
    assert bob_now.locked_until == local(2026, 12, 30, 0, 0)
    assert standing(programme, alice, local(2026, 11, 30, 0, 0)).tester is not None
    dispatch()
    told = Notification.objects.get(fan=bob)
    assert "no longer a Sound Recorder tester" in told.message
    assert told.url == "/p/sound-recorder/testers/standing/"


def test_a_tester_who_joins_late_in_the_week_starts_with_the_next(programme, product, alice, clock):
    clock.move_to(local(2026, 11, 28, 10, 0))  # Saturday
    take_quiz(fan=alice, product=product, answers=right_answers(programme))
    assert check_duties(now=local(2026, 11, 30, 0, 0)) == 0
    assert check_duties(now=local(2026, 12, 7, 0, 0)) == 1


def moderation_event(kind, subject, **payload):
    with transaction.atomic():
        record(kind, subject=subject, **payload)
    dispatch()


def test_deductions_are_listed_and_remove_a_tester_at_the_threshold(
    programme, product, alice, clock
):
    take_quiz(fan=alice, product=product, answers=right_answers(programme))
    post = create_post(author=alice, product=product, kind="idea", title="Off topic")
    comment = add_comment(author=alice, post=post, body="Rude")
    moderation_event("content.hidden", comment, author_id=alice.pk, reason="rude", by="moderator")
    moderation_event("content.hidden", post, author_id=alice.pk, reason="spam", by="moderator")
    found = standing(programme, alice, local(2026, 11, 23, 9, 0))
    assert found.deducted == 25
    assert sorted(d.get_reason_display() for d in found.deductions) == [
        "A moderator removed your comment",
        "A moderator removed your post",
    ]
    moderation_event("fan.silenced", alice, until="2026-12-01T00:00:00Z", reason="spam")
    found = standing(programme, alice, local(2026, 11, 23, 9, 0))
    assert found.tester is None and found.last is not None
    assert found.last.end_reason == "Deductions reached 50 points."
    assert found.deducted == 65


def test_a_restored_post_takes_its_deduction_back_and_hidden_again_deducts_again(
    programme, product, alice
):
    take_quiz(fan=alice, product=product, answers=right_answers(programme))
    post = create_post(author=alice, product=product, kind="idea", title="Misjudged")
    moderation_event("content.hidden", post, author_id=alice.pk, reason="spam", by="moderator")
    assert standing(programme, alice, local(2026, 11, 23, 9, 0)).deducted == 20
    moderation_event("content.restored", post, author_id=alice.pk, by="moderator")
    found = standing(programme, alice, local(2026, 11, 23, 9, 0))
    assert (found.deducted, found.deductions) == (0, [])
    moderation_event("content.hidden", post, author_id=alice.pk, reason="spam", by="moderator")
    assert standing(programme, alice, local(2026, 11, 23, 9, 0)).deducted == 20


def test_only_engineers_write_the_quiz(product, bob, maya):
    with pytest.raises(PermissionDenied):
        write_programme(by=bob, product=product, places=5, pass_mark=90, questions=QUIZ)
    with pytest.raises(ValidationError, match="Question 2: Mark at least one choice as right"):
        write_programme(
            by=maya,
            product=product,
            places=5,
            pass_mark=90,
            questions=[QUIZ[0], QuestionDraft("None right?", [("a", False), ("b", False)])],
        )
    with pytest.raises(ValidationError, match="two or more choices"):
        write_programme(
            by=maya,
            product=product,
            places=5,
            pass_mark=90,
            questions=[QuestionDraft("One choice?", [("a", True)])],
        )
    assert not models.Programme.objects.filter(product=product).exists()  # nothing half-saved


def test_a_question_with_two_right_choices_takes_either(product, maya, alice, bob):
    programme = write_programme(
        by=maya,
        product=product,
        places=5,
        pass_mark=100,
        questions=[QuestionDraft("Two right?", [("a", True), ("b", True), ("c", False)])],
    )
    question = programme.questions.get()
    _a, b, c = question.choices.all()
    assert take_quiz(fan=alice, product=product, answers={question.pk: b.pk}).tester
    assert not take_quiz(fan=bob, product=product, answers={question.pk: c.pk}).attempt.passed


def test_places_never_drop_below_the_testers(programme, product, maya, alice, bob):
    for fan in (alice, bob):
        take_quiz(fan=fan, product=product, answers=right_answers(programme))
    with pytest.raises(ValidationError, match="2 fans are testers now: keep at least 2 places"):
        write_programme(by=maya, product=product, places=1, pass_mark=50, questions=[])
    programme.refresh_from_db()
    assert programme.places == 10 and programme.pass_mark == 100
    assert programme.questions.count() == 2  # the quiz was not replaced either
    write_programme(by=maya, product=product, places=2, pass_mark=100)


@pytest.fixture
def internal(product, maya, clock):
    build = cut_internal_build(product=product, at=timezone.now(), by=maya)
    return publish_build(by=maya, build=build)


def test_internal_builds_only_for_testers_and_engineers(
    programme, product, internal, alice, bob, maya, logged_in, api_as
):
    take_quiz(fan=alice, product=product, answers=right_answers(programme))
    url = internal.get_absolute_url()
    builds = f"/p/{product.slug}/builds/"
    for fan, sees in ((alice, True), (maya, True), (bob, False)):
        client = logged_in(fan)
        assert (client.get(url).status_code == 200) is sees
        assert (internal.version in client.get(builds).content.decode()) is sees
        api = api_as(fan)
        assert (api.get(f"/builds/{internal.pk}").status_code == 200) is sees
        listed = [b["version"] for b in api.get(f"/products/{product.slug}/builds").json()]
        assert (internal.version in listed) is sees
    anonymous = api_as(None)
    assert anonymous.get(f"/builds/{internal.pk}").status_code == 404
    # A fan's bug report cannot name it either.
    with pytest.raises(ValidationError):
        create_post(
            author=bob, product=product, kind="bug", title="x", found_in_build_id=internal.pk
        )


def test_testers_are_told_of_an_internal_build(programme, product, alice, bob, maya, clock):
    take_quiz(fan=alice, product=product, answers=right_answers(programme))
    build = cut_internal_build(product=product, at=timezone.now(), by=maya)
    publish_build(by=maya, build=build)
    dispatch()
    told = Notification.objects.filter(kind="internal_build")
    assert list(told.values_list("fan__username", flat=True)) == ["alice"]
    assert models.Tester.objects.get(fan=alice).status == "active"


def test_a_featured_post_counts_as_a_testers_extra_credit(programme, product, alice, mo, clock):
    def featured() -> int:
        done = standing(programme, alice, timezone.now()).done
        assert done is not None
        return done.featured

    take_quiz(fan=alice, product=product, answers=right_answers(programme))
    post = create_post(author=alice, product=product, kind="idea", title="Loop playback")
    assert featured() == 0
    feature(by=mo, post=post)
    assert featured() == 1
    feature(by=mo, post=post, featured=False)
    assert featured() == 0


def test_a_removal_reason_says_the_language_it_was_worded_in(
    programme, product, bob, clock, logged_in
):
    """The scheduler words it once; a fan who later reads 中文 pages sees it marked as
    English (for screen readers and translation tools), not passed off as Chinese."""
    take_quiz(fan=bob, product=product, answers=right_answers(programme))
    clock.move_to(local(2026, 11, 30, 0, 0))
    assert check_duties(now=local(2026, 11, 30, 0, 0)) == 1
    bob.language = "zh-hans"
    bob.save(update_fields=["language"])

    page = logged_in(bob).get(f"/p/{product.slug}/testers/standing/").content.decode()

    assert '<p data-testid="reason" lang="en">Missed the week of Nov 23' in page
    assert '<html lang="zh-Hans">' in page
