from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from .limits import check_fan_write
from .models import ApiToken, User, hash_token, new_raw_token


def create_api_token(
    *,
    user: User,
    name: str,
    expires_at: datetime | None = None,
    limited: bool = True,
) -> tuple[ApiToken, str]:
    """Create a token for `user`, valid until `expires_at` (None: until revoked); returns
    the row and the raw token, which is never stored. The fan's limit for new tokens
    applies unless `limited` is False (an admin's shell command)."""
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": "Choose a moment in the future."})
    if limited:
        check_fan_write(fan=user, action="token")
    raw = new_raw_token()
    token = ApiToken.objects.create(
        user=user,
        name=name.strip() or "token",
        token_hash=hash_token(raw),
        hint=raw[:10],
        expires_at=expires_at,
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


# Every API call looks its token up: one raw statement (no ORM query to compile) that also
# says whether last_used_at is stale, so that a token in use is written at most once a minute.
_USER_FOR_TOKEN = """
SELECT u.*, CASE WHEN t.last_used_at IS NULL OR t.last_used_at < %s THEN t.id END AS stale_token
FROM {token} t JOIN {user} u ON u.id = t.user_id
WHERE t.token_hash = %s AND t.revoked_at IS NULL AND u.is_active
  AND (t.expires_at IS NULL OR t.expires_at > %s)
"""
TOKEN_TOUCH_SECONDS = 60


def user_for_token(raw: str) -> User | None:
    now = timezone.now()
    stale_before = connection.ops.adapt_datetimefield_value(
        now - timedelta(seconds=TOKEN_TOUCH_SECONDS)
    )
    tables = {
        "token": connection.ops.quote_name(ApiToken._meta.db_table),
        "user": connection.ops.quote_name(User._meta.db_table),
    }
    found = list(
        User.objects.raw(
            _USER_FOR_TOKEN.format(**tables),
            [stale_before, hash_token(raw), connection.ops.adapt_datetimefield_value(now)],
        )
    )
    if not found:
        return None
    user = found[0]
    stale_token = user.stale_token  # type: ignore[attr-defined]
    if stale_token is not None:  # plain SQL too: in a rush of new fans, every call writes it
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {tables['token']} SET last_used_at = %s WHERE id = %s",
                [connection.ops.adapt_datetimefield_value(now), stale_token],
            )
    return user
