"""The honeypot and the minimum fill time on sign-up and on the post form."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from orangefriday.accounts.models import User
from orangefriday.board.models import Post
from orangefriday.core.bots import TOO_FAST

from .test_accounts import SIGN_UP

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def three_seconds(settings):
    settings.FORM_MIN_FILL_SECONDS = 3


def shown_at(page) -> str:
    return page.context["form"]["shown_at"].value()


def test_a_person_who_takes_a_few_seconds_signs_up(client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        stamp = shown_at(client.get("/accounts/signup/"))
    with time_machine.travel(start + timedelta(seconds=4), tick=False):
        page = client.post("/accounts/signup/", {**SIGN_UP, "shown_at": stamp})
    assert "Check your inbox" in page.content.decode()
    assert User.objects.filter(username="xiaoming").exists()


def test_a_script_that_posts_at_once_or_without_the_stamp_is_refused_and_keeps_the_input(client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        stamp = shown_at(client.get("/accounts/signup/"))
        quick = client.post("/accounts/signup/", {**SIGN_UP, "shown_at": stamp})
    assert quick.status_code == 400 and TOO_FAST in quick.content.decode()
    assert 'value="xiaoming"' in quick.content.decode()
    assert client.post("/accounts/signup/", SIGN_UP).status_code == 400  # no stamp at all
    forged = client.post("/accounts/signup/", {**SIGN_UP, "shown_at": "1.0:forged"})
    assert forged.status_code == 400
    assert not User.objects.exists()


def test_the_honeypot_field_refuses_whoever_fills_it(client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        stamp = shown_at(client.get("/accounts/signup/"))
    with time_machine.travel(start + timedelta(seconds=10), tick=False):
        page = client.post(
            "/accounts/signup/", {**SIGN_UP, "shown_at": stamp, "website": "http://spam"}
        )
    assert page.status_code == 400 and not User.objects.exists()


def test_the_post_form_has_the_same_checks(alice, recorder, logged_in):
    client = logged_in(alice)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        stamp = shown_at(client.get(f"/p/{recorder.slug}/new/"))
        quick = client.post(
            f"/p/{recorder.slug}/new/", {"kind": "idea", "title": "Bot", "shown_at": stamp}
        )
    assert quick.status_code == 400 and TOO_FAST in quick.content.decode()
    with time_machine.travel(start + timedelta(seconds=5), tick=False):
        ok = client.post(
            f"/p/{recorder.slug}/new/", {"kind": "idea", "title": "Person", "shown_at": stamp}
        )
    assert ok.status_code == 302
    assert list(Post.objects.values_list("title", flat=True)) == ["Person"]
