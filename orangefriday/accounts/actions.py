from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from . import sql
from .models import ApiToken, User, hash_token, new_raw_token


def create_api_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns the row and the raw token, which is never stored."""
    raw = new_raw_token()
    token = ApiToken.objects.create(
        user=user, name=name.strip() or "token", token_hash=hash_token(raw), hint=raw[:10]
    )
    return token, raw


def revoke_api_token(*, user: User, token_id: int) -> bool:
    """Revoke one of the user's own tokens; False when there is no such active token."""
    with transaction.atomic():
        return bool(
            ApiToken.objects.active()
            .filter(user=user, pk=token_id)
            .update(revoked_at=timezone.now())
        )


TOKEN_TOUCH_SECONDS = 60


def user_for_token(raw: str) -> User | None:
    """The fan a raw API token belongs to (None for an unknown or revoked one); its
    last_used_at is written at most once a minute (plain SQL: accounts.sql)."""
    now = timezone.now()
    user = sql.user_for_token_hash(
        hash_token(raw), stale_before=now - timedelta(seconds=TOKEN_TOUCH_SECONDS)
    )
    if user is None:
        return None
    stale_token = user.stale_token  # type: ignore[attr-defined]
    if stale_token is not None:  # in a rush of new fans, every call writes it
        sql.touch_token(stale_token, now=now)
    return user
