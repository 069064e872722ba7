"""The generated community: stored counts equal the rows, on SQLite and on PostgreSQL."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from orangefriday.accounts.actions import user_for_token
from orangefriday.bench.community import FRIDAY, MAIN, Scale, check, generate, token_for
from orangefriday.board.models import Post, Product, Status
from orangefriday.board.ranked import BoardFilter, board_posts
from orangefriday.notifications.models import Subscription
from orangefriday.voting.actions import cast_vote
from orangefriday.voting.models import Vote

TINY = Scale(
    posts=60,
    fans=40,
    votes=900,
    small_posts=20,
    large_posts=50,
    shipped_posts=5,
    shipped_voters=120,
    tokens=10,
)


@pytest.mark.django_db
def test_counts_and_scores_match_the_rows():
    generate(TINY, out=io.StringIO())

    assert check() == {"counts_wrong": 0, "hot_wrong": 0}
    assert Vote.objects.count() == TINY.votes + TINY.shipped_voters
    assert Post.objects.count() == 60 + 20 + 50 + 5
    per_post = Vote.objects.values("post").annotate(n=Count("id")).values_list("post", "n")
    stored = dict(Post.objects.values_list("pk", "votes_count"))
    assert {post: n for post, n in per_post} == {pk: n for pk, n in stored.items() if n}
    shipped = Post.objects.filter(product__slug=FRIDAY)
    assert set(shipped.values_list("status", flat=True)) == {Status.SHIPPED}
    assert Subscription.objects.filter(post__in=shipped).count() == TINY.shipped_voters


@pytest.mark.django_db
def test_the_generated_board_and_tokens_work_like_any_other():
    generate(TINY, out=io.StringIO())
    third = user_for_token(token_for(3))
    assert third is not None and third.username == "bench_fan_3"

    board = Product.objects.get(slug=MAIN)
    top = board_posts(BoardFilter(product_id=board.pk, sort="top")).first()
    assert top is not None
    before = top.votes_count
    voter = next(
        f
        for f in range(10)
        if not Vote.objects.filter(post=top, fan__username=f"bench_fan_{f}").exists()
    )
    fan = user_for_token(token_for(voter))
    assert fan is not None
    cast_vote(fan=fan, post_id=top.pk)
    top.refresh_from_db()
    assert top.votes_count == before + 1 == Vote.objects.filter(post=top).count()
    assert check()["counts_wrong"] == 0


@pytest.mark.django_db
def test_the_command_refuses_a_second_community():
    out = io.StringIO()
    call_command(
        "generate_community",
        "--posts=30",
        "--fans=20",
        "--votes=100",
        "--small-posts=10",
        "--large-posts=10",
        "--shipped-posts=2",
        "--shipped-voters=10",
        "--tokens=2",
        stdout=out,
    )
    assert "match its vote rows" in out.getvalue()
    with pytest.raises(CommandError, match="already holds"):
        call_command("generate_community", "--quick", stdout=io.StringIO())
