"""Issue 15: every time is shown in the viewer's zone (README "Languages and time"), and a
product's own texts (name, tagline, categories) come in the page's language."""

import re
from datetime import UTC, datetime

import pytest
import time_machine

from orangefriday.board.actions import add_comment, create_post
from orangefriday.board.models import Category

pytestmark = pytest.mark.django_db

# A Friday 17:00 in Shanghai: 04:00 that morning in New York.
WRITTEN = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def shown_times(page) -> list[str]:
    """The moments a page shows: the text of each <time>, or its title when the text says
    how long ago it was."""
    html = page.content.decode()
    return [
        title or text
        for title, text in re.findall(r'<time datetime="[^"]+"(?: title="([^"]+)")?>([^<]+)<', html)
    ]


def test_two_fans_in_two_zones_see_the_same_comment_at_their_own_time(
    alice, bob, recorder, logged_in
):
    alice.time_zone, bob.time_zone = "America/New_York", "Asia/Shanghai"
    alice.save(update_fields=["time_zone"])
    bob.save(update_fields=["time_zone"])
    with time_machine.travel(WRITTEN, tick=False):
        post = create_post(author=alice, product=recorder, kind="idea", title="Mute calls")
        add_comment(author=bob, post=post, body="Yes please")
    with time_machine.travel(datetime(2026, 11, 28, tzinfo=UTC), tick=False):
        in_new_york = shown_times(logged_in(alice).get(post.get_absolute_url()))
        in_shanghai = shown_times(logged_in(bob).get(post.get_absolute_url()))
    # The post's time, then the comment's.
    assert in_new_york == ["2026-11-27 04:00", "2026-11-27 04:00"]
    assert in_shanghai == ["2026-11-27 17:00", "2026-11-27 17:00"]


def test_a_visitor_sees_utc(alice, recorder, client):
    with time_machine.travel(WRITTEN, tick=False):
        post = create_post(author=alice, product=recorder, kind="idea", title="Mute calls")
    assert shown_times(client.get(post.get_absolute_url())) == ["2026-11-27 09:00"]


@pytest.fixture
def recorder_in_chinese(recorder):
    recorder.name_zh, recorder.tagline_zh = "录音机", "永不掉线的采访录音"
    recorder.save()
    Category.objects.filter(product=recorder, slug="recording").update(name_zh="录音")
    return recorder


def test_a_chinese_page_shows_the_products_chinese_texts_and_an_english_one_the_english(
    alice, recorder_in_chinese, client
):
    create_post(
        author=alice,
        product=recorder_in_chinese,
        kind="idea",
        title="Mute calls",
        category=recorder_in_chinese.categories.get(slug="recording"),
    )
    chinese = client.get("/p/sound-recorder/", headers={"accept-language": "zh-Hans"})
    text = chinese.content.decode()
    assert "<h1>录音机</h1>" in text and "永不掉线的采访录音" in text
    assert '<span translate="no">录音</span>' in text  # the post's category
    english = client.get("/p/sound-recorder/", headers={"accept-language": "en"}).content.decode()
    assert "<h1>Sound Recorder</h1>" in english and "录音机" not in english


def test_without_a_chinese_name_a_chinese_page_shows_the_english(alice, recorder, client):
    page = client.get("/", headers={"accept-language": "zh-Hans"}).content.decode()
    assert "Sound Recorder" in page


def test_the_api_gives_both_languages(recorder_in_chinese, client):
    product = client.get("/api/v1/products").json()[0]
    assert (product["name"], product["name_zh"]) == ("Sound Recorder", "录音机")
    assert product["tagline_zh"] == "永不掉线的采访录音"
    recording = next(c for c in product["categories"] if c["slug"] == "recording")
    assert (recording["name"], recording["name_zh"]) == ("Recording", "录音")
