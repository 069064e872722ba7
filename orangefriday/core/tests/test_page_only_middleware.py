"""An API call with a bearer token goes past the middleware only pages need (sessions, CSRF,
the session's fan, messages: core.middleware.page_only); everything else still runs it."""

import pytest
from django.test import Client

from orangefriday.accounts.actions import create_api_token
from orangefriday.board.actions import create_post
from orangefriday.voting.models import Vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def idea(alice, recorder):
    return create_post(author=alice, product=recorder, kind="idea", title="Longer recordings")


def signed_in(fan) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(fan)
    return client


def bearer(fan) -> dict[str, str]:
    _, raw = create_api_token(user=fan, name="script")
    return {"Authorization": f"Bearer {raw}"}


def test_an_api_write_signed_in_by_its_session_still_needs_the_csrf_token(bob, idea):
    client = signed_in(bob)
    refused = client.put(f"/api/v1/posts/{idea.pk}/vote")
    assert refused.status_code == 403
    assert not Vote.objects.filter(post=idea, fan=bob).exists()

    client.get("/")  # the page gives the CSRF cookie, as a browser's script has it
    token = client.cookies["csrftoken"].value
    done = client.put(f"/api/v1/posts/{idea.pk}/vote", headers={"X-CSRFToken": token})
    assert done.status_code == 200 and done.json()["voted"] is True
    assert Vote.objects.filter(post=idea, fan=bob).exists()


def test_a_bearer_call_is_the_tokens_fan_and_leaves_the_session_alone(alice, bob, idea):
    client = signed_in(alice)  # a browser where alice is logged in runs bob's script
    headers = bearer(bob)

    me = client.get("/api/v1/me", headers=headers)
    assert me.status_code == 200 and me.json()["username"] == "bob"
    # The session was never read: the answer does not vary with the cookie, sets none.
    assert "Cookie" not in me.get("Vary", "") and not me.cookies

    # A write with the token needs no CSRF token, and counts for the token's fan.
    vote = client.put(f"/api/v1/posts/{idea.pk}/vote", headers=headers)
    assert vote.status_code == 200
    assert list(Vote.objects.filter(post=idea).values_list("fan__username", flat=True)) == ["bob"]


def test_a_wrong_token_is_refused_even_with_a_session(alice, idea):
    client = signed_in(alice)
    response = client.put(
        f"/api/v1/posts/{idea.pk}/vote", headers={"Authorization": "Bearer of_not_a_token"}
    )
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert not Vote.objects.filter(post=idea).exists()


def test_pages_keep_their_session_and_csrf_check_whatever_the_headers(alice, bob, idea):
    client = signed_in(alice)
    headers = bearer(bob)
    page = client.get("/", headers=headers)
    assert page.status_code == 200 and page.context["user"].username == "alice"

    # A page's form is checked for CSRF even when an Authorization header comes along.
    refused = client.post(f"/posts/{idea.pk}/vote/", {"action": "vote"}, headers=headers)
    assert refused.status_code == 403
    assert not Vote.objects.filter(post=idea).exists()
