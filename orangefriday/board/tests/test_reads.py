"""Reads are counted per distinct fan, buffered, and never a row per view."""

import pytest

from orangefriday.board.actions import create_post
from orangefriday.board.models import PostReader
from orangefriday.board.reads import flush_reads

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _large_buffer(settings):
    settings.READS_FLUSH_EVERY = 1000
    settings.READS_FLUSH_SECONDS = 3600


def test_distinct_readers_and_anonymous_views_are_counted(client, logged_in, alice, bob, recorder):
    post = create_post(author=alice, product=recorder, kind="idea", title="Cloud upload")
    for _ in range(3):
        logged_in(alice).get(post.get_absolute_url())
    logged_in(bob).get(post.get_absolute_url())
    client.get(post.get_absolute_url())
    client.get(post.get_absolute_url())

    post.refresh_from_db()
    assert (post.readers_count, post.anonymous_views) == (0, 0)  # still buffered
    flush_reads()
    post.refresh_from_db()
    assert (post.readers_count, post.anonymous_views) == (2, 2)
    assert PostReader.objects.count() == 2


def test_reading_again_later_does_not_count_twice(logged_in, alice, recorder):
    post = create_post(author=alice, product=recorder, kind="idea", title="Cloud upload")
    logged_in(alice).get(post.get_absolute_url())
    flush_reads()
    logged_in(alice).get(post.get_absolute_url())
    flush_reads()
    post.refresh_from_db()
    assert post.readers_count == 1


def test_the_buffer_flushes_itself_when_full(settings, client, alice, recorder):
    settings.READS_FLUSH_EVERY = 3
    post = create_post(author=alice, product=recorder, kind="idea", title="Cloud upload")
    for _ in range(3):
        client.get(post.get_absolute_url())
    post.refresh_from_db()
    assert post.anonymous_views == 3


def test_reads_of_a_deleted_post_are_dropped(client, alice, recorder):
    post = create_post(author=alice, product=recorder, kind="idea", title="Cloud upload")
    client.get(post.get_absolute_url())
    post.delete()
    flush_reads()  # must not fail on the missing post


def test_reads_of_a_deleted_fan_are_dropped(logged_in, alice, bob, recorder):
    post = create_post(author=alice, product=recorder, kind="idea", title="Cloud upload")
    logged_in(alice).get(post.get_absolute_url())
    logged_in(bob).get(post.get_absolute_url())
    bob.delete()
    flush_reads()
    post.refresh_from_db()
    assert post.readers_count == 1
    assert list(PostReader.objects.values_list("fan__username", flat=True)) == ["alice"]
