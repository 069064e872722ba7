"""The new-post form: bug fields for bug reports only, the confirmation after posting, and a
body over the limit refused with the limit named (page and API)."""

import re
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from orangefriday.board.models import BODY_MAX_LENGTH, Post, Visibility

pytestmark = pytest.mark.django_db

NEW = "/p/sound-recorder/new/"


def test_the_bug_fields_are_grouped_for_the_script_and_shown_without_it(logged_in, alice, recorder):
    page = logged_in(alice).get(NEW).content.decode()
    group = re.search(r"<fieldset[^>]*data-bug-fields.*?</fieldset>", page, re.S)
    assert group is not None
    # All three are in the group, none of them hidden by the server (no script: all shown).
    for name in ("found_in_build", "device", "log"):
        assert f'name="{name}"' in group.group(0)
    assert "hidden" not in group.group(0).split(">", 1)[0]
    assert 'name="title"' not in group.group(0)


def test_bug_fields_sent_with_an_idea_are_dropped_not_refused(logged_in, alice, recorder):
    response = logged_in(alice).post(
        NEW,
        {
            "kind": "idea",
            "title": "A darker theme",
            "device": "Xiaomi 14",
            "log": SimpleUploadedFile("log.txt", b"trace"),
        },
    )
    post = Post.objects.get()
    assert response.status_code == 302 and response.url == post.get_absolute_url()
    assert (post.kind, post.device, post.log.name) == ("idea", "", "")


def test_a_bug_report_keeps_its_bug_fields(logged_in, alice, recorder):
    response = logged_in(alice).post(
        NEW,
        {
            "kind": "bug",
            "title": "Recording stops",
            "device": "Xiaomi 14",
            "log": SimpleUploadedFile("log.txt", b"trace"),
        },
    )
    post = Post.objects.get()
    assert response.status_code == 302
    assert (post.device, post.log_name) == ("Xiaomi 14", "log.txt")


def test_the_post_page_confirms_a_published_post_and_says_what_happens_next(
    logged_in, alice, recorder
):
    client = logged_in(alice)
    response = client.post(NEW, {"kind": "idea", "title": "A darker theme"}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == Post.objects.get().get_absolute_url()
    assert "Your post is published" in page
    assert "vote for it" in page and "Monday" in page
    # Said once: the next page no longer says it.
    again = client.get(response.redirect_chain[-1][0]).content.decode()
    assert "Your post is published" not in again


def test_a_held_post_is_confirmed_as_waiting_for_review(logged_in, alice, recorder, holds):
    response = logged_in(alice).post(
        NEW,
        {"kind": "idea", "title": "Look here", "body": "https://example.org/offer"},
        follow=True,
    )
    assert Post.objects.get().visibility == Visibility.HELD
    page = response.content.decode()
    assert "waits for review" in page and "Your post is published" not in page


def test_the_confirmation_is_in_chinese_for_a_chinese_reader(logged_in, alice, recorder):
    client = logged_in(alice)
    data = {"kind": "idea", "title": "深色主题"}
    response = client.post(NEW, data, follow=True, headers={"Accept-Language": "zh-Hans"})
    page = response.content.decode()
    assert "Your post is published" not in page
    assert "你的帖子已发布" in page


def test_a_body_over_the_limit_is_refused_with_the_limit_named_not_cut(logged_in, alice, recorder):
    client = logged_in(alice)
    # The textarea carries no maxlength, which would make the browser cut a paste silently.
    form_page = client.get(NEW).content.decode()
    textarea = re.search(r"<textarea[^>]*name=\"body\"[^>]*>", form_page)
    assert textarea is not None and "maxlength" not in textarea.group(0)

    body = "trace line\n" * 20_000  # 220,000 characters (219,999 once its end is stripped)
    response = client.post(NEW, {"kind": "bug", "title": "Crash", "body": body})
    assert response.status_code == 400 and not Post.objects.exists()
    [error] = response.context["form"].errors["body"]
    assert str(BODY_MAX_LENGTH) in error and str(len(body.strip())) in error
    # What the fan typed is all still there, to shorten.
    assert response.context["form"]["body"].value() == body


def test_the_api_refuses_a_body_over_the_limit_naming_it_on_the_field(api_as, alice, recorder):
    response = api_as(alice).post(
        "/posts", {"product": "sound-recorder", "title": "Crash", "body": "x" * 200_000}
    )
    assert response.status_code == 422 and not Post.objects.exists()
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert str(BODY_MAX_LENGTH) in errors["body"]


def test_a_comment_over_the_limit_is_refused_with_the_limit_named(logged_in, alice, recorder):
    from orangefriday.board.actions import create_post

    post = create_post(author=alice, product=recorder, kind="idea", title="Dark theme")
    response = logged_in(alice).post(f"/posts/{post.pk}/comments/", {"body": "y" * 20_001})
    assert response.status_code == 400 and not post.comments.exists()
    [error] = response.context["comment_form"].errors["body"]
    assert str(BODY_MAX_LENGTH) in error and "20001" in error


PREVIEW = "/preview/"
HX = {"HX-Request": "true"}
MARKDOWN = "Calls ruin **interviews**:\n\n- mute\n- [docs](https://example.org)"


def test_the_preview_renders_the_body_exactly_as_the_post_page_will_and_saves_nothing(
    logged_in, alice, recorder
):
    from orangefriday.board.actions import create_post

    client = logged_in(alice)
    response = client.post(PREVIEW, {"body": MARKDOWN}, headers=HX)
    assert response.status_code == 200 and not Post.objects.exists()
    fragment = response.content.decode()
    post = create_post(author=alice, product=recorder, kind="idea", title="Mute", body=MARKDOWN)
    assert "<strong>interviews</strong>" in post.body_html
    assert post.body_html in fragment
    # A fragment for htmx, not a page.
    assert "<html" not in fragment and 'data-testid="preview"' in fragment


def test_a_comment_preview_is_the_comment_as_it_will_show(logged_in, alice, recorder):
    from orangefriday.board.actions import add_comment, create_post

    post = create_post(author=alice, product=recorder, kind="idea", title="Mute")
    fragment = logged_in(alice).post(PREVIEW, {"body": MARKDOWN}, headers=HX).content.decode()
    comment = add_comment(author=alice, post=post, body=MARKDOWN)
    assert comment.body_html in fragment


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>window.__xss=1</script>",
        "[click](javascript:alert(1))",
        '<img src=x onerror="alert(1)">',
    ],
)
def test_the_preview_is_sanitised_like_the_post(logged_in, alice, recorder, hostile):
    fragment = logged_in(alice).post(PREVIEW, {"body": hostile}, headers=HX).content.decode()
    tags = markup(fragment)
    assert {tag for tag, _ in tags} <= {"section", "h2", "div", "p", "a", "strong"}
    for _tag, attributes in tags:
        assert not any(name.startswith("on") for name in attributes)
        assert not attributes.get("href", "").lower().startswith("javascript:")


def markup(html: str) -> list[tuple[str, dict[str, str]]]:
    """Every element of `html` with its attributes, as a browser's parser sees them."""
    found: list[tuple[str, dict[str, str]]] = []

    class Reader(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, {name: value or "" for name, value in attrs}))

    Reader().feed(html)
    return found


def test_a_preview_over_the_limit_names_the_limit(logged_in, alice, recorder):
    response = logged_in(alice).post(PREVIEW, {"body": "z" * 30_000}, headers=HX)
    assert (
        str(BODY_MAX_LENGTH) in response.content.decode() and "30000" in response.content.decode()
    )


def test_without_javascript_the_preview_is_a_page_with_the_way_back(logged_in, alice, recorder):
    response = logged_in(alice).post(
        PREVIEW, {"body": MARKDOWN, "title": "Mute"}, headers={"Referer": "http://testserver" + NEW}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "<strong>interviews</strong>" in page
    assert f'href="{NEW}" data-history-back' in page and not Post.objects.exists()


def test_the_preview_is_for_signed_in_fans(client, recorder):
    response = client.post(PREVIEW, {"body": MARKDOWN})
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_the_forms_offer_the_preview_of_their_body(logged_in, alice, recorder):
    from orangefriday.board.actions import create_post

    client = logged_in(alice)
    post = create_post(author=alice, product=recorder, kind="idea", title="Mute")
    for page in (client.get(NEW), client.get(post.get_absolute_url())):
        html = page.content.decode()
        assert 'hx-post="/preview/" hx-params="body"' in html
        assert 'formaction="/preview/"' in html
