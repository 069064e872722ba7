"""A four-grid report sent again: the same words for the most wanted feature name the idea
they became the first time, and an Idempotency-Key replays the first answer."""

import pytest

from orangefriday.board.models import Post
from orangefriday.feedback.actions import file_report
from orangefriday.feedback.models import Report

pytestmark = pytest.mark.django_db


def test_the_same_wanted_words_do_not_make_another_idea(build, changes, alice):
    def send(text: str) -> Report:
        return file_report(
            fan=alice,
            build=build,
            mood="happy",
            loved=changes[0].pk,
            least_effective=changes[1].pk,
            wanted_text=text,
        )

    first = send("Dark mode for the waveform")
    ideas = Post.objects.filter(title="Dark mode for the waveform")
    assert ideas.count() == 1
    assert send("  Dark mode   for the waveform ").wanted_id == first.wanted_id
    assert ideas.count() == 1 and Report.objects.count() == 1
    # Other words are another idea.
    assert send("Bigger buttons").wanted_id != first.wanted_id


def test_an_idempotency_key_replays_the_first_report(build, changes, alice, api_as):
    api = api_as(alice)
    api.headers["Idempotency-Key"] = "report-1"
    body = {
        "mood": "love_it",
        "loved": changes[0].pk,
        "least_effective": changes[1].pk,
        "wanted_text": "Export to MP3",
    }
    first = api.put(f"/builds/{build.pk}/report", body)
    again = api.put(f"/builds/{build.pk}/report", body)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Post.objects.filter(title="Export to MP3").count() == 1
