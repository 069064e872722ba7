from django.db import transaction
from django.utils import timezone

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


def user_for_token(raw: str) -> User | None:
    token = (
        ApiToken.objects.active().select_related("user").filter(token_hash=hash_token(raw)).first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    # Touch last_used at most once a minute so that API calls do not all write.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
