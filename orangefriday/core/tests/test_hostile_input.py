"""Input an attacker sends instead of a fan: never a 500, a clear error with the field, and
nothing stored. Run on both databases (PostgreSQL cannot store NUL; both overflow past
64 bits)."""

import pytest

from orangefriday.board.actions import create_post
from orangefriday.board.models import Post, Tag

pytestmark = pytest.mark.django_db

BEYOND_64_BITS = str(2**63)
HUGE = str(10**30)


def problem_fields(response) -> list[str]:
    assert response["Content-Type"] == "application/problem+json", response.content
    return [e["field"] for e in response.json().get("errors", [])]


@pytest.fixture
def idea(alice, recorder):
    return create_post(author=alice, product=recorder, kind="idea", title="Mute calls")


def test_nul_in_a_json_field_is_422_with_the_field(alice, recorder, api_as):
    api = api_as(alice)
    response = api.post("/posts", {"product": recorder.slug, "title": "Mute\x00 calls"})
    assert response.status_code == 422 and problem_fields(response) == ["title"]
    response = api.post("/posts", {"product": recorder.slug, "title": "ok", "tags": ["a", "b\x00"]})
    assert response.status_code == 422 and problem_fields(response) == ["tags.1"]
    assert not Post.objects.exists()


def test_nul_in_a_query_parameter_is_refused_for_visitors_too(client, recorder):
    response = client.get("/api/v1/posts", {"q": "mute\x00"})
    assert response.status_code == 422 and problem_fields(response) == ["q"]
    page = client.get("/search/", {"q": "a\x00b"})
    assert page.status_code == 400 and "q" in page.content.decode()
    assert client.get(f"/p/{recorder.slug}/", {"tag": "\x00"}).status_code == 400


def test_nul_in_a_path_is_refused(client):
    assert client.get("/p/sound%00recorder/").status_code == 400
    assert client.get("/accounts/fans/al%00ice/").status_code == 400


def test_nul_in_a_form_field_is_400_and_nothing_is_stored(alice, recorder, logged_in):
    page = logged_in(alice).post(f"/p/{recorder.slug}/new/", {"kind": "idea", "title": "a\x00"})
    assert page.status_code == 400 and "title" in page.content.decode()
    assert not Post.objects.exists()


def test_ids_beyond_64_bits_in_paths_are_404_or_422(client, alice, api_as, idea):
    assert client.get(f"/posts/{BEYOND_64_BITS}/").status_code == 404
    assert client.get(f"/posts/{HUGE}/").status_code == 404
    assert client.get(f"/builds/{HUGE}/").status_code == 404
    api = api_as(alice)
    for path in (f"/posts/{BEYOND_64_BITS}", f"/posts/{HUGE}/comments", f"/builds/{HUGE}"):
        response = api.get(path)
        assert response.status_code == 422, (path, response.content)
    assert api.put(f"/posts/{HUGE}/vote").status_code == 422


def test_page_numbers_beyond_any_board_are_refused_or_empty(client, recorder, idea):
    response = client.get("/api/v1/posts", {"page": str(10**18)})
    assert response.status_code == 422 and problem_fields(response) == ["page"]
    assert client.get("/api/v1/posts", {"page": "0"}).status_code == 422
    # A page of the site past the end is an empty page, as a stale link deserves.
    assert client.get(f"/p/{recorder.slug}/", {"page": str(10**18)}).status_code == 200
    assert client.get("/search/", {"q": "mute", "page": HUGE}).status_code == 200


def test_ids_beyond_64_bits_in_bodies_are_422_with_the_field(alice, recorder, api_as, idea):
    api = api_as(alice)
    response = api.post(f"/posts/{idea.pk}/comments", {"body": "hi", "parent_id": 2**64})
    assert response.status_code == 422 and problem_fields(response) == ["parent_id"]
    response = api.post(
        "/posts", {"product": recorder.slug, "kind": "bug", "title": "x", "found_in_build": 2**70}
    )
    assert response.status_code == 422 and problem_fields(response) == ["found_in_build"]
    response = api.post(f"/posts/{idea.pk}/merge", {"original_id": 2**63})
    assert response.status_code == 422 and problem_fields(response) == ["original_id"]


@pytest.mark.parametrize(
    "title",
    [
        "\u200b\u200b\u200b",  # zero-width spaces
        "\u3164\u3164",  # Hangul filler
        "\u2800\u2800",  # braille blank
        "\u0301\u0302",  # combining marks alone
        "\u202e\u2066",  # bidi controls alone
    ],
)
def test_titles_of_invisible_characters_are_refused(alice, recorder, api_as, logged_in, title):
    response = api_as(alice).post("/posts", {"product": recorder.slug, "title": title})
    assert response.status_code == 422 and problem_fields(response) == ["title"]
    page = logged_in(alice).post(f"/p/{recorder.slug}/new/", {"kind": "idea", "title": title})
    assert page.status_code == 400 and "title" in page.context["form"].errors
    assert not Post.objects.exists()


def test_bidi_overrides_are_removed_from_what_is_stored(alice, recorder, api_as):
    response = api_as(alice).post(
        "/posts",
        {"product": recorder.slug, "title": "Report \u202egpj.exe", "tags": ["\u2066tag\u2069"]},
    )
    assert response.status_code == 201
    assert response.json()["title"] == "Report gpj.exe"
    assert list(Tag.objects.values_list("name", flat=True)) == ["tag"]


def test_invisible_comments_and_usernames_are_refused(alice, api_as, client, idea):
    response = api_as(alice).post(f"/posts/{idea.pk}/comments", {"body": "\u200b \u3164"})
    assert response.status_code == 422 and problem_fields(response) == ["body"]
    page = client.post(
        "/accounts/signup/",
        {
            "username": "\u3164",
            "email": "ghost@example.org",
            "password1": "orange-friday-2010",
            "password2": "orange-friday-2010",
        },
    )
    assert page.status_code == 400 and "username" in page.context["form"].errors
