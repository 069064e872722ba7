"""Each statement of accounts.sql, on whichever database the tests run (CI: both)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from orangefriday.accounts import sql
from orangefriday.accounts.actions import create_api_token, revoke_api_token
from orangefriday.accounts.models import ApiToken, hash_token

pytestmark = pytest.mark.django_db


def test_a_live_token_finds_its_fan_and_says_when_it_is_stale(alice):
    token, raw = create_api_token(user=alice, name="cli")
    now = timezone.now()
    found = sql.user_for_token_hash(hash_token(raw), stale_before=now, now=now)
    assert found == alice and found.stale_token == token.pk  # type: ignore[attr-defined]  # never used yet
    sql.touch_token(token.pk, now=now)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == now
    found = sql.user_for_token_hash(
        hash_token(raw), stale_before=now - timedelta(minutes=1), now=now
    )
    assert found == alice and found.stale_token is None  # type: ignore[attr-defined]


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
