"""Migration 0007 moves existing posts to the new index: found by stem, title and body."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from orangefriday.board.models import Post
from orangefriday.board.search import by_relevance

BEFORE = [("board", "0006_pinned_posts_index")]
AFTER = [("board", "0007_search_by_relevance")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_posts_written_before_0007_are_found_after_it(alice, recorder):
    old = migrate(BEFORE)
    OldPost = old.get_model("board", "Post")
    OldPost.objects.create(
        product_id=recorder.pk,
        author_id=alice.pk,
        title="Mute the phone while recording",
        body="Calls ruin 采访录音",
        search_document="Mute the phone while recording Calls ruin 采 访 录 音",
    )
    try:
        migrate(AFTER)
        post = Post.objects.get()
        assert (post.search_title, post.search_body) == (
            "Mute the phone while recording",
            "Calls ruin 采 访 录 音",
        )
        for query in ["muted", "录音", "calls"]:
            assert list(by_relevance(Post.objects.all(), query)) == [post]
    finally:
        migrate(AFTER)
