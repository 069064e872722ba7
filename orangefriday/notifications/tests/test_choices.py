"""A fan chooses, per kind, what they hear of in-app and by email, and how often the digest
comes: on the settings page and through the API."""

import pytest

from orangefriday.notifications.models import KindPreference
from orangefriday.notifications.preferences import Choice, choices, digest_of

pytestmark = pytest.mark.django_db


def test_everything_is_on_and_the_digest_weekly_until_a_fan_chooses(alice):
    assert set(choices(alice).values()) == {Choice(in_app=True, email=True)}
    assert digest_of(alice) == "weekly"


def test_the_settings_page_shows_and_saves_the_choices(client, alice):
    client.force_login(alice)
    page = client.get("/accounts/settings/").content.decode()
    assert 'data-testid="notification-settings"' in page
    assert 'name="email" value="mention"' in page and 'value="weekly" checked' in page

    every = ["reply", "mention", "answer", "status", "response", "shipped", "merged", "hidden"]
    response = client.post(
        "/notifications/settings/",
        {"in_app": every, "email": [k for k in every if k != "reply"], "digest": "daily"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/settings/#notifications"
    chosen = choices(alice)
    assert chosen["reply"] == Choice(in_app=True, email=False)
    assert chosen["mention"] == Choice(in_app=True, email=True)
    assert chosen["halted"] == Choice(in_app=False, email=False)  # left unchecked
    assert digest_of(alice) == "daily"
    page = client.get("/accounts/settings/").content.decode()
    assert 'value="daily" checked' in page and "Your notification choices are saved." in page

    # Back to everything on: the rows go, defaults need none.
    client.post(
        "/notifications/settings/",
        {"in_app": [*every, "halted"], "email": [*every, "halted"], "digest": "weekly"},
    )
    assert not KindPreference.objects.exists()


def test_a_bad_digest_is_a_400_not_a_500(client, alice):
    client.force_login(alice)
    assert client.post("/notifications/settings/", {"digest": "hourly"}).status_code == 400


def test_the_api_reads_and_changes_the_choices(alice, api_as):
    api = api_as(alice)
    got = api.get("/me/notification-settings").json()
    assert got["digest"] == "weekly" and got["kinds"]["reply"] == {"in_app": True, "email": True}

    changed = api.request(
        "PUT",
        "/me/notification-settings",
        json={"kinds": {"mention": {"in_app": True, "email": False}}, "digest": "off"},
    )
    assert changed.status_code == 200
    assert changed.json()["kinds"]["mention"] == {"in_app": True, "email": False}
    assert changed.json()["kinds"]["reply"] == {"in_app": True, "email": True}  # kept
    assert changed.json()["digest"] == "off"

    bad = api.request("PUT", "/me/notification-settings", json={"kinds": {"nope": {}}})
    assert bad.status_code == 422
    assert api.request("PUT", "/me/notification-settings", json=[None, None]).status_code == 422
    bad = {"kinds": {"reply": {"in_app": "yes", "email": True}}}
    assert api.request("PUT", "/me/notification-settings", json=bad).status_code == 422
    assert api_as(None).get("/me/notification-settings").status_code == 401


def test_the_api_names_every_kind_a_fan_chooses_about():
    from typing import get_args

    from orangefriday.notifications.api import Kind
    from orangefriday.notifications.preferences import CHOOSABLE

    assert list(get_args(Kind)) == [kind.value for kind in CHOOSABLE]
