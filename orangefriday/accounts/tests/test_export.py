"""Download my data: one JSON file of everything the fan gave, each app's part in it, and
nothing that is not theirs to have (password hashes, token secrets, other fans' data)."""

import json

import pytest
from django.utils import timezone

from orangefriday.accounts.actions import create_api_token, update_profile
from orangefriday.board.actions import add_comment, create_post
from orangefriday.core.events import dispatch
from orangefriday.feedback.models import Rating
from orangefriday.moderation.actions import flag_item
from orangefriday.releases.models import Build
from orangefriday.voting.actions import cast_vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(alice, bob, recorder):
    """alice wrote, voted, followed, rated and flagged; bob flagged alice's post."""
    update_profile(fan=alice, display_name="爱丽丝")
    mine = create_post(author=alice, product=recorder, kind="idea", title="Mute while recording")
    theirs = create_post(author=bob, product=recorder, kind="bug", title="Buy followers")
    add_comment(author=alice, post=theirs, body="Is this spam?")
    cast_vote(fan=alice, post_id=theirs.pk)
    flag_item(flagger=alice, post=theirs, reason="spam", text="an advert")
    flag_item(flagger=bob, post=mine, reason="off_topic", text="bob's own words")
    build = Build.objects.create(
        product=recorder,
        channel="developer",
        version="26.11.27",
        version_date=timezone.now().date(),
        published_at=timezone.now(),
    )
    Rating.objects.create(fan=alice, build=build, stability=8)
    _, raw = create_api_token(user=alice, name="my script")
    dispatch()
    return {"mine": mine, "theirs": theirs, "build": build, "raw_token": raw}


def test_the_file_holds_each_apps_part_of_what_the_fan_gave(logged_in, alice, world):
    response = logged_in(alice).get("/accounts/settings/my-data.json")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="orangefriday-alice-')
    assert response["Cache-Control"] == "no-store, private"
    data = json.loads(response.content)
    assert data["account"]["username"] == "alice"
    assert data["account"]["display_name"] == "爱丽丝"
    assert data["account"]["email"] == "alice@example.org"
    assert [p["title"] for p in data["posts"]] == ["Mute while recording"]
    assert [c["body"] for c in data["comments"]] == ["Is this spam?"]
    assert [v["post_id"] for v in data["votes"]] == [world["theirs"].pk]
    followed = {f["post_id"] for f in data["follows"]}
    assert world["mine"].pk in followed and world["theirs"].pk in followed
    assert [(f["reason"], f["text"]) for f in data["flags"]] == [("spam", "an advert")]
    assert [r["stability"] for r in data["ratings"]] == [8]
    assert [t["name"] for t in data["api_tokens"]] == ["my script"]
    assert data["four_grid_reports"] == [] and data["sales"]["orders"] == []
    assert "points" in data and "notification_choices" in data


def test_no_secret_and_nothing_of_other_fans_is_in_it(logged_in, alice, bob, world):
    text = logged_in(alice).get("/accounts/settings/my-data.json").content.decode()

    assert alice.password not in text  # the password's hash
    assert world["raw_token"] not in text
    assert alice.api_tokens.get().token_hash not in text
    assert "bob@example.org" not in text
    assert "bob's own words" not in text  # who flagged alice, and why, is bob's


def test_the_api_gives_the_same_document(alice, world, api_as, logged_in):
    page = json.loads(logged_in(alice).get("/accounts/settings/my-data.json").content)

    response = api_as(alice).get("/me/data")

    assert response.status_code == 200
    data = response.json()
    assert data.keys() == page.keys()
    assert data["posts"] == page["posts"] and data["account"] == page["account"]


def test_the_settings_page_offers_the_download(logged_in, alice):
    page = logged_in(alice).get("/accounts/settings/").content.decode()

    assert 'href="/accounts/settings/my-data.json"' in page and "Download my data" in page


def test_only_the_fan_downloads_their_data(client):
    response = client.get("/accounts/settings/my-data.json")

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
