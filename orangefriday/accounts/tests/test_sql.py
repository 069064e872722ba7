"""Each statement of accounts.sql, on whichever database the tests run (CI: both)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from orangefriday.accounts import sql
from orangefriday.accounts.actions import create_api_token, revoke_api_token
from orangefriday.accounts.models import ApiToken, hash_token

pytestmark = pytest.mark.django_db


def test_a_live_token_finds_its_fan_and_is_marked_used_at_most_once_a_minute(alice):
    token, raw = create_api_token(user=alice, name="cli")
    now = timezone.now()
    assert sql.user_for_token_hash(hash_token(raw), stale_before=now, now=now) == alice
    assert ApiToken.objects.get(pk=token.pk).last_used_at == now  # never used before
    later = now + timedelta(seconds=30)
    found = sql.user_for_token_hash(
        hash_token(raw), stale_before=later - timedelta(minutes=1), now=later
    )
    assert found == alice and ApiToken.objects.get(pk=token.pk).last_used_at == now
    much_later = now + timedelta(minutes=2)
    found = sql.user_for_token_hash(
        hash_token(raw), stale_before=much_later - timedelta(minutes=1), now=much_later
    )
    assert found == alice and ApiToken.objects.get(pk=token.pk).last_used_at == much_later


def test_another_token_of_the_fan_is_not_marked_used(alice):
    used, raw = create_api_token(user=alice, name="cli")
    other, _ = create_api_token(user=alice, name="phone")
    now = timezone.now()
    assert sql.user_for_token_hash(hash_token(raw), stale_before=now, now=now) == alice
    assert ApiToken.objects.get(pk=used.pk).last_used_at == now
    assert ApiToken.objects.get(pk=other.pk).last_used_at is None


def test_a_revoked_token_or_an_inactive_fan_finds_nobody(alice, bob):
    now = timezone.now()
    token, raw = create_api_token(user=alice, name="cli")
    revoke_api_token(user=alice, token_id=token.pk)
    assert sql.user_for_token_hash(hash_token(raw), stale_before=now, now=now) is None
    _, bobs = create_api_token(user=bob, name="cli")
    bob.is_active = False
    bob.save()
    assert sql.user_for_token_hash(hash_token(bobs), stale_before=now, now=now) is None


def test_an_expired_token_finds_nobody(alice):
    now = timezone.now()
    _, raw = create_api_token(user=alice, name="cli", expires_at=now + timedelta(hours=1))
    assert sql.user_for_token_hash(hash_token(raw), stale_before=now, now=now) == alice
    later = now + timedelta(hours=1, seconds=1)
    assert sql.user_for_token_hash(hash_token(raw), stale_before=later, now=later) is None


def test_the_lookup_says_when_the_token_was_used_before_this_call(alice):
    token, raw = create_api_token(user=alice, name="cli")
    now = timezone.now()
    first = sql.user_for_token_hash(hash_token(raw), stale_before=now, now=now)
    assert first is not None and first.token_used_at is None  # type: ignore[attr-defined]
    later = now + timedelta(minutes=5)
    found = sql.user_for_token_hash(hash_token(raw), stale_before=later, now=later, touch=False)
    assert found is not None and found.token_used_at == now  # type: ignore[attr-defined]
    assert found.token_id == token.pk  # type: ignore[attr-defined]
    assert ApiToken.objects.get(pk=token.pk).last_used_at == now  # not touched
