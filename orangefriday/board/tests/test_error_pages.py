"""Error pages in the site's frame with a way back; problem details for the API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client

from orangefriday.board.actions import create_post
from orangefriday.board.models import Comment

pytestmark = pytest.mark.django_db

BOARD = "http://testserver/p/sound-recorder/?sort=top"


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False  # Django shows its technical pages instead when DEBUG is on


def page_of(response, status: int) -> str:
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert 'class="topbar"' in html and 'class="footer"' in html  # the site's frame
    assert 'data-testid="error-page"' in html
    assert '<a href="/">Home: every board</a>' in html
    return html


def problem_of(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["detail"]
    return body


def test_a_missing_page_says_so_and_leads_back_to_the_board_it_is_under(recorder):
    html = page_of(Client().get("/p/sound-recorder/no-such-page/"), 404)
    assert "This page does not exist" in html
    assert '<a href="/p/sound-recorder/">The Sound Recorder board</a>' in html


def test_a_missing_post_leads_back_to_the_board_the_fan_came_from(recorder):
    html = page_of(Client().get("/posts/999/", headers={"Referer": BOARD}), 404)
    assert '<a class="button" href="/p/sound-recorder/?sort=top" data-history-back>' in html
    assert "The Sound Recorder board" in html


def test_a_link_from_another_site_is_not_offered_as_the_way_back(recorder):
    html = page_of(
        Client().get("/p/nope/", headers={"Referer": "https://elsewhere.example/p/x/"}), 404
    )
    assert "elsewhere.example" not in html and "data-history-back" not in html
    assert "board</a>" not in html.replace("Home: every board</a>", "")


def test_a_forbidden_page_names_the_rule_and_the_posts_board(alice, bob, recorder, logged_in):
    bug = create_post(
        author=alice,
        product=recorder,
        kind="bug",
        title="Crash on a call",
        log=SimpleUploadedFile("crash.log", b"trace", content_type="text/plain"),
    )
    html = page_of(logged_in(bob).get(f"/posts/{bug.pk}/log/"), 403)
    assert "You may not do that" in html
    assert "Only the reporter and the product&#x27;s engineers read a bug&#x27;s log." in html
    assert "The Sound Recorder board" in html


def test_a_refused_csrf_token_gets_the_styled_403(alice, recorder):
    post = create_post(author=alice, product=recorder, kind="idea", title="Mute")
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(f"/posts/{post.pk}/comments/", {"body": "me too"})
    assert "reload the page and send it again" in page_of(response, 403)
    assert not Comment.objects.exists()


def test_a_malformed_request_gets_the_styled_400(recorder):
    html = page_of(Client().get("/p/sound-recorder/", headers={"Host": "evil.example"}), 400)
    assert "This request could not be read" in html


def test_a_too_large_form_is_refused_with_the_limit_and_a_way_back_to_it(
    alice, recorder, logged_in, settings
):
    post = create_post(author=alice, product=recorder, kind="idea", title="Mute")
    response = logged_in(alice).post(
        f"/posts/{post.pk}/comments/",
        {"body": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)},
        headers={"Referer": f"http://testserver/posts/{post.pk}/"},
    )
    html = page_of(response, 413)
    assert "A form may send at most 1.0\xa0MB of text" in html and "Nothing was saved" in html
    assert f'<a class="button" href="/posts/{post.pk}/" data-history-back>' in html
    assert "Back to your form" in html
    assert not Comment.objects.exists()


def test_the_api_answers_problem_details_for_errors_django_answers_itself(
    api_as, alice, monkeypatch
):
    client = api_as(alice)
    assert problem_of(client.get("/no-such-endpoint"), 404)["title"] == "Not found"

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("orangefriday.board.api.board_posts", broken)
    client.client.raise_request_exception = False
    body = problem_of(client.get("/posts"), 500)
    assert "a bug" not in body["detail"]


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_500_page_renders_without_the_database(alice, recorder, monkeypatch, signed_in):
    client = Client(raise_request_exception=False)
    if signed_in:
        client.force_login(alice)
    queries = []

    def database_down(self, sql, params=None):
        queries.append(sql)
        raise OperationalError("the database is down")

    monkeypatch.setattr(CursorWrapper, "execute", database_down)
    html = page_of(client.get("/p/sound-recorder/"), 500)
    assert "Something went wrong on our side" in html
    assert len(queries) == 1  # the view's own query failed; the error page made none
    assert "Log in" in html  # nobody is known to the page, not even a signed-in fan
