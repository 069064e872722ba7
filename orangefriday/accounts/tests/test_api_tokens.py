"""Personal API tokens: shown once, stored hashed, revocable."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client

from orangefriday.accounts.actions import create_api_token, user_for_token
from orangefriday.accounts.models import ApiToken, User, hash_token

pytestmark = pytest.mark.django_db


def test_a_token_is_shown_once_and_stored_only_hashed(logged_in, alice):
    client = logged_in(alice)
    page = client.post("/accounts/settings/", {"name": "my script"})
    raw = page.context["new_token"]
    assert raw.startswith("of_") and raw in page.content.decode()
    token = ApiToken.objects.get(user=alice)
    assert token.token_hash == hash_token(raw) and raw not in token.token_hash
    assert raw not in client.get("/accounts/settings/").content.decode()


def test_the_token_authenticates_until_revoked(logged_in, alice, api_as):
    client = logged_in(alice)
    raw = client.post("/accounts/settings/", {"name": "ci"}).context["new_token"]
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/me", headers=headers).json()["username"] == "alice"

    token = ApiToken.objects.get(user=alice)
    client.post(f"/accounts/settings/tokens/{token.pk}/revoke/")
    anonymous = api_as(None).client
    response = anonymous.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_a_fan_cannot_revoke_someone_elses_token(logged_in, alice, bob):
    logged_in(bob).post("/accounts/settings/", {"name": "bobs"})
    token = ApiToken.objects.get(user=bob)
    logged_in(alice).post(f"/accounts/settings/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_command_prints_a_working_token(capsys, api_as):
    call_command("create_api_token", "newsbot", "--create-user", "--role", "engineer")
    raw = capsys.readouterr().out.strip()
    assert User.objects.get(username="newsbot").role == "engineer"
    client = api_as(None).client
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert me.json()["role"] == "engineer"


def test_the_command_refuses_an_unknown_fan_without_create_user():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--create-user"):
        call_command("create_api_token", "ghost")


def test_last_used_is_written_at_most_once_a_minute(alice):
    token, raw = create_api_token(user=alice, name="script")
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False):
        assert user_for_token(raw) == alice
        token.refresh_from_db()
        assert token.last_used_at == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, 59, tzinfo=UTC), tick=False):
        user = user_for_token(raw)
        token.refresh_from_db()
        assert token.last_used_at == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with time_machine.travel(datetime(2026, 3, 2, 9, 1, 1, tzinfo=UTC), tick=False):
        user_for_token(raw)
        token.refresh_from_db()
        assert token.last_used_at == datetime(2026, 3, 2, 9, 1, 1, tzinfo=UTC)
    # The fan comes back whole: timezone-aware dates, the role, no stray token columns used.
    assert user is not None and user.pk == alice.pk and user.role == alice.role
    assert user.date_joined == alice.date_joined and user.date_joined.tzinfo is not None


def test_a_token_of_a_deactivated_fan_or_an_unknown_token_finds_nobody(alice):
    _, raw = create_api_token(user=alice, name="script")
    assert user_for_token(raw + "x") is None
    User.objects.filter(pk=alice.pk).update(is_active=False)
    assert user_for_token(raw) is None


@pytest.mark.parametrize("username", ["\u3164", "has space", "x" * 151, "semi;colon"])
def test_the_command_validates_a_new_username_like_sign_up(username):
    with pytest.raises(CommandError, match="Not a valid username"):
        call_command("create_api_token", username, "--create-user")
    assert not User.objects.exists()


def test_a_token_with_an_expiry_stops_working_then(logged_in, alice, api_as):
    client = logged_in(alice)
    page = client.post("/accounts/settings/", {"name": "for a week", "expires": "7"})
    raw = page.context["new_token"]
    token = ApiToken.objects.get(user=alice)
    assert token.expires_at is not None
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    with time_machine.travel(token.expires_at + timedelta(seconds=1)):
        response = Client().get("/api/v1/me", headers=headers)
        assert response.status_code == 401
        assert "expired" in response.json()["detail"]


def test_pages_with_a_secret_or_private_data_are_not_stored_by_caches(logged_in, alice, client):
    fan = logged_in(alice)
    page = fan.post("/accounts/settings/", {"name": "script"})
    assert "no-store" in page["Cache-Control"]
    assert "no-store" in fan.get("/notifications/")["Cache-Control"]
    assert "no-store" in fan.get("/api/v1/me")["Cache-Control"]
    assert "no-store" in client.get("/accounts/reset/MQ/set-password/")["Cache-Control"]
    # A visitor's board carries nothing private and may be kept.
    assert "no-store" not in client.get("/").get("Cache-Control", "")
