"""Each fan and visitor limit at its documented default (README, "Limits"): the limit + 1
is refused with when to try again (a form error that keeps what was typed, or 429 with
Retry-After), the earlier ones pass, and nothing is stored for the refused one."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from orangefriday.accounts.models import ApiToken, TrustLevel, User
from orangefriday.accounts.standing import share
from orangefriday.board.actions import create_post
from orangefriday.board.models import Comment, Post
from orangefriday.conftest import make_fan
from orangefriday.voting.models import Vote

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rate_limits")]

NOW = timezone.now().replace(microsecond=0)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def newcomer(clock) -> User:
    """A fan who joined a moment ago (trust level 0): a tenth of each limit (3 posts a day,
    1 a minute)."""
    return make_fan("newcomer")


@pytest.fixture
def member(clock, recorder) -> User:
    """A fan of a month who earned trust level 2: the whole limits."""
    fan = make_fan("member")
    User.objects.filter(pk=fan.pk).update(
        date_joined=NOW - timedelta(days=30), trust_level=TrustLevel.MEMBER
    )
    fan.refresh_from_db()
    post = create_post(author=fan, product=recorder, kind="idea", title="An older idea")
    Vote.objects.create(post=post, fan=fan)
    return fan


def assert_429(response, text: str, retry_after: int) -> None:
    assert response.status_code == 429, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == str(retry_after)
    problem = response.json()
    assert problem["status"] == 429 and problem["title"] == "Too many requests"
    assert text in problem["detail"]


def test_the_share_of_each_limit_follows_the_trust_level():
    def fan(level: int, role: str = "fan") -> User:
        return User(username="x", role=role, trust_level=level)

    assert share(fan(TrustLevel.NEW)) == 0.1
    assert share(fan(TrustLevel.BASIC)) == 0.4
    for level in (TrustLevel.MEMBER, TrustLevel.REGULAR, TrustLevel.LEADER):
        assert share(fan(level)) == 1.0
    assert share(fan(TrustLevel.NEW, role="engineer")) == 1.0  # staff count as members


def test_a_new_fan_posts_once_a_minute_and_three_times_a_day_through_the_api(
    newcomer, recorder, api_as, clock
):
    api = api_as(newcomer)
    post = {"product": recorder.slug, "title": "Louder playback"}
    assert api.post("/posts", post).status_code == 201
    assert_429(api.post("/posts", {**post, "title": "Second"}), "Too many posts", 60)
    assert not Post.objects.filter(title="Second").exists()
    for minute in (1, 2):
        clock.shift(timedelta(minutes=1, seconds=1))
        assert api.post("/posts", {**post, "title": f"Minute {minute}"}).status_code == 201
    clock.shift(timedelta(minutes=1, seconds=1))
    refused = api.post("/posts", {**post, "title": "Fourth today"})
    assert refused.status_code == 429
    assert 86_000 < int(refused["Retry-After"]) <= 86_400  # the day's window
    assert Post.objects.filter(author=newcomer).count() == 3


def test_over_the_limit_the_post_form_says_when_and_keeps_what_was_typed(
    newcomer, recorder, logged_in
):
    client = logged_in(newcomer)
    form = {"kind": "idea", "title": "Cloud backup", "body": "Every night"}
    assert client.post(f"/p/{recorder.slug}/new/", form).status_code == 302
    page = client.post(f"/p/{recorder.slug}/new/", {**form, "title": "Waveform zoom"})
    html = page.content.decode()
    assert page.status_code == 400
    assert "Too many posts for now: try again in" in html
    assert 'value="Waveform zoom"' in html and "Every night" in html
    assert not Post.objects.filter(title="Waveform zoom").exists()


def test_a_member_gets_the_whole_limit(member, recorder, api_as):
    assert share(member) == 1.0
    api = api_as(member)
    # One post went in with the fixture: four more this minute, then the sixth is refused.
    for n in range(4):
        assert (
            api.post("/posts", {"product": recorder.slug, "title": f"Idea {n}"}).status_code == 201
        )
    assert_429(api.post("/posts", {"product": recorder.slug, "title": "Sixth"}), "posts", 60)


def test_comments_are_limited(newcomer, alice, recorder, api_as, logged_in):
    post = create_post(author=alice, product=recorder, kind="idea", title="Mute calls")
    api = api_as(newcomer)
    assert api.post(f"/posts/{post.pk}/comments", {"body": "Yes!"}).status_code == 201
    assert_429(api.post(f"/posts/{post.pk}/comments", {"body": "Again"}), "Too many comments", 60)
    page = logged_in(newcomer).post(f"/posts/{post.pk}/comments/", {"body": "Once more"})
    assert page.status_code == 400
    assert "Too many comments for now" in page.content.decode()
    assert "Once more" in page.content.decode()  # the textarea keeps it
    assert Comment.objects.filter(author=newcomer).count() == 1


def test_votes_are_limited_six_a_minute_for_a_new_fan(newcomer, alice, recorder, api_as, logged_in):
    posts = [
        create_post(author=alice, product=recorder, kind="idea", title=f"Idea {n}", limited=False)
        for n in range(8)
    ]
    api = api_as(newcomer)
    for post in posts[:6]:
        assert api.put(f"/posts/{post.pk}/vote").status_code == 200
    assert_429(api.put(f"/posts/{posts[6].pk}/vote"), "Too many votes", 60)
    # The page's button says so too, without a 500.
    response = logged_in(newcomer).post(
        f"/posts/{posts[7].pk}/vote/", {"action": "vote"}, headers={"HX-Request": "true"}
    )
    assert "Too many votes" in response.content.decode()
    assert Vote.objects.filter(fan=newcomer).count() == 6


def test_a_new_fan_creates_one_api_token_a_day(newcomer, logged_in):
    client = logged_in(newcomer)
    assert (
        "Your new token" in client.post("/accounts/settings/", {"name": "script"}).content.decode()
    )
    page = client.post("/accounts/settings/", {"name": "another"})
    assert page.status_code == 429
    assert "Too many new API tokens for now: try again in" in page.content.decode()
    assert ApiToken.objects.filter(user=newcomer).count() == 1


def sign_up(client, n: int, ip: str = "203.0.113.7"):
    return client.post(
        "/accounts/signup/",
        {
            "username": f"fan{n}",
            "email": f"fan{n}@example.org",
            "password1": "orange-friday-2010",
            "password2": "orange-friday-2010",
        },
        REMOTE_ADDR=ip,
    )


def test_five_sign_ups_an_hour_from_one_address(client, clock):
    for n in range(5):
        assert "Check your inbox" in sign_up(client, n).content.decode()
    refused = sign_up(client, 5)
    assert refused.status_code == 429
    assert "Too many sign-ups from your address: try again in 1 hour" in refused.content.decode()
    assert 'value="fan5"' in refused.content.decode()
    assert not User.objects.filter(username="fan5").exists()
    assert "Check your inbox" in sign_up(client, 6, ip="198.51.100.1").content.decode()
    clock.shift(timedelta(hours=1, seconds=1))
    assert "Check your inbox" in sign_up(client, 7).content.decode()


def test_three_reset_e_mails_an_hour_to_one_address(client, alice):
    for _ in range(3):
        assert client.post("/accounts/password-reset/", {"email": alice.email}).status_code == 302
    refused = client.post("/accounts/password-reset/", {"email": alice.email.upper()})
    assert refused.status_code == 429
    assert "We sent several links to this address already" in refused.content.decode()
    assert len(mail.outbox) == 3


def test_ten_resets_an_hour_from_one_address_whatever_the_e_mails(client):
    for n in range(10):
        response = client.post("/accounts/password-reset/", {"email": f"x{n}@example.org"})
        assert response.status_code == 302
    refused = client.post("/accounts/password-reset/", {"email": "y@example.org"})
    assert refused.status_code == 429
    assert "Too many password resets from your address" in refused.content.decode()


def test_an_api_token_makes_300_calls_a_minute(alice, api_as, clock):
    api = api_as(alice)
    for _ in range(300):
        assert api.get("/products").status_code == 200
    assert_429(api.get("/products"), "Too many API calls with this token", 60)
    assert api_as(None).get("/products").status_code == 200  # visitors have their own count
    clock.shift(timedelta(seconds=61))
    assert api.get("/products").status_code == 200


def test_an_address_makes_300_api_calls_a_minute_without_a_token(client, clock):
    for _ in range(300):
        assert client.get("/api/v1/products").status_code == 200
    assert_429(client.get("/api/v1/products"), "Too many API calls from your address", 60)
    assert client.get("/api/v1/products", REMOTE_ADDR="198.51.100.1").status_code == 200


def test_a_vote_on_a_merged_post_uses_none_of_the_fans_votes(newcomer, alice, recorder, api_as):
    # The limit is counted in the vote's own transaction: a refused vote counts nothing.
    posts = [
        create_post(author=alice, product=recorder, kind="idea", title=f"Idea {n}", limited=False)
        for n in range(7)
    ]
    Post.objects.filter(pk=posts[6].pk).update(status="duplicate")
    api = api_as(newcomer)
    for _ in range(3):
        assert api.put(f"/posts/{posts[6].pk}/vote").status_code == 409  # merged: vote there
    for post in posts[:6]:
        assert api.put(f"/posts/{post.pk}/vote").status_code == 200
    assert Vote.objects.filter(fan=newcomer).count() == 6
