"""Posting on a board and commenting, from the web pages."""

import pytest

from orangefriday.board.actions import add_comment, create_post
from orangefriday.board.models import Comment, Post, Tag

pytestmark = pytest.mark.django_db


def test_a_fan_posts_an_idea_with_markdown_category_and_tags(logged_in, alice, recorder):
    client = logged_in(alice)
    response = client.post(
        "/p/sound-recorder/new/",
        {
            "kind": "idea",
            "title": "  Mute the phone   while recording ",
            "body": "Journalists need **silence**.",
            "category": recorder.categories.get(slug="recording").pk,
            "tags": "journalism, Silence, journalism",
        },
    )
    post = Post.objects.get()
    assert response.status_code == 302 and response.url == post.get_absolute_url()
    assert post.title == "Mute the phone while recording"
    assert post.status == "open" and post.author == alice
    assert "<strong>silence</strong>" in post.body_html
    assert {t.name for t in post.tags.all()} == {"journalism", "Silence"}
    page = client.get(post.get_absolute_url()).content.decode()
    assert "<strong>silence</strong>" in page and "Open" in page


def test_a_bug_report_keeps_build_and_device_but_an_idea_does_not(alice, recorder):
    bug = create_post(
        author=alice,
        product=recorder,
        kind="bug",
        title="Recording stops when a call comes in",
        build_version="26.11.20",
        device="Xiaomi 14",
    )
    idea = create_post(
        author=alice, product=recorder, kind="idea", title="Cloud", build_version="26.11.20"
    )
    assert (bug.build_version, bug.device) == ("26.11.20", "Xiaomi 14")
    assert idea.build_version == ""


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "idea", "title": ""}, "title"),
        ({"kind": "idea", "title": "   "}, "title"),
        ({"kind": "poem", "title": "Nice"}, "kind"),
        ({"kind": "idea", "title": "x" * 161}, "title"),
        ({"kind": "idea", "title": "Ok", "body": "b" * 20_001}, "body"),
        ({"kind": "idea", "title": "Ok", "tags": "a,b,c,d,e,f"}, "tags"),
    ],
)
def test_bad_input_shows_form_errors_and_stores_nothing(logged_in, alice, recorder, data, field):
    response = logged_in(alice).post("/p/sound-recorder/new/", data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert Post.objects.count() == 0 and Tag.objects.count() == 0


def test_a_category_of_another_product_is_refused(logged_in, alice, recorder, camera):
    from orangefriday.board.models import Category

    foreign = Category.objects.create(product=camera, slug="video", name="Video")
    response = logged_in(alice).post(
        "/p/sound-recorder/new/", {"kind": "idea", "title": "Hi", "category": foreign.pk}
    )
    assert response.status_code == 400 and Post.objects.count() == 0


def test_posting_needs_a_login(client, recorder):
    response = client.post("/p/sound-recorder/new/", {"kind": "idea", "title": "Hi"})
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert Post.objects.count() == 0


def test_an_engineers_comment_is_official_and_a_fans_is_not(logged_in, alice, maya, recorder):
    post = create_post(author=alice, product=recorder, kind="bug", title="Calls cut recordings")
    logged_in(alice).post(f"/posts/{post.pk}/comments/", {"body": "Happens every time"})
    logged_in(maya).post(f"/posts/{post.pk}/comments/", {"body": "We are on it."})
    fans, engineers = Comment.objects.order_by("pk")
    assert not fans.official and engineers.official
    post.refresh_from_db()
    assert post.comments_count == 2
    page = logged_in(alice).get(post.get_absolute_url()).content.decode()
    assert page.count('class="badge official"') == 1


def test_an_engineer_of_another_product_is_not_official(alice, recorder, camera):
    from orangefriday.conftest import make_fan

    lei = make_fan("lei", "engineer")
    camera.engineers.add(lei)
    post = create_post(author=alice, product=recorder, kind="idea", title="Upload")
    assert not add_comment(author=lei, post=post, body="Not my product").official


def test_a_reply_to_a_reply_stays_in_the_same_thread(alice, bob, recorder):
    post = create_post(author=alice, product=recorder, kind="discussion", title="Best mic?")
    top = add_comment(author=alice, post=post, body="Lavalier")
    reply = add_comment(author=bob, post=post, body="Agreed", parent=top)
    deeper = add_comment(author=alice, post=post, body="Thanks", parent=reply)
    assert reply.parent == top and deeper.parent == top


def test_an_empty_comment_shows_an_error_and_stores_nothing(logged_in, alice, recorder):
    post = create_post(author=alice, product=recorder, kind="idea", title="Upload")
    response = logged_in(alice).post(f"/posts/{post.pk}/comments/", {"body": "   "})
    assert response.status_code == 400
    assert response.context["comment_form"].errors["body"]
    post.refresh_from_db()
    assert post.comments_count == 0 and not Comment.objects.exists()
