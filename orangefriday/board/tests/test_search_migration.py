"""Migration 0007 moves existing posts to the new index: found by stem, title and body, and
still after the later migrations (a rebuild of board_post on SQLite must keep the index)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from orangefriday.board.models import Post
from orangefriday.board.search import by_relevance

BEFORE = [("board", "0006_pinned_posts_index")]
# 0007 and every later migration: the Post model of the tests is the latest one, and the
# database must be left as the other tests expect it.
AFTER = None


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    """Every app's last migration: the schema the current models describe."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


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
        migrate(latest())
        post = Post.objects.get()
        assert (post.search_title, post.search_body) == (
            "Mute the phone while recording",
            "Calls ruin 采 访 录 音",
        )
        for query in ["muted", "录音", "calls"]:
            assert list(by_relevance(Post.objects.all(), query)) == [post]
    finally:
        migrate(latest())
