from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from . import sql
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


TOKEN_TOUCH_SECONDS = 60


def user_for_token(raw: str) -> User | None:
    """The fan a raw API token belongs to (None for an unknown or revoked one); its
    last_used_at is written at most once a minute (plain SQL: accounts.sql)."""
    now = timezone.now()
    user = sql.user_for_token_hash(
        hash_token(raw), stale_before=now - timedelta(seconds=TOKEN_TOUCH_SECONDS), now=now
    )
    if user is None:
        return None
    stale_token = user.stale_token  # type: ignore[attr-defined]
    if stale_token is not None:  # in a rush of new fans, every call writes it
        sql.touch_token(stale_token, now=now)
    return user


_VERIFY_SALT = "orangefriday.verify-email"


def verification_link(user: User) -> str:
    """A link that confirms `user`'s current address, good for EMAIL_VERIFICATION_MAX_AGE."""
    token = signing.dumps({"id": user.pk, "email": user.email}, salt=_VERIFY_SALT)
    return settings.SITE_URL + reverse("accounts:verify_email", args=[token])


def send_verification(*, user: User) -> None:
    """E-mail `user` the link that confirms their address."""
    send_mail(
        "Confirm your e-mail address for Orange Friday",
        f"Hello {user.username},\n\nOpen this link to confirm your address and log in:\n\n"
        f"{verification_link(user)}\n\nIt works for "
        f"{settings.EMAIL_VERIFICATION_MAX_AGE // 3600} hours. If you did not sign up, "
        "ignore this e-mail.\n",
        None,
        [user.email],
    )


def sign_up(*, username: str, email: str, password: str) -> User | None:
    """Create a fan and send them the link that confirms their address.

    When a fan already uses `email`, nobody is created and that address is told instead,
    so the answer to the visitor is the same either way (whether an address is registered
    is never revealed). Returns the new fan, or None.
    """
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        send_mail(
            "Someone tried to sign up to Orange Friday with your address",
            f"Hello {existing.username},\n\nSomeone (you?) tried to create an account with "
            "this address, which already has one. Log in, or reset your password here:\n\n"
            f"{settings.SITE_URL}{reverse('accounts:password_reset')}\n",
            None,
            [existing.email],
        )
        return None
    user = User.objects.create_user(username=username, email=email, password=password)
    send_verification(user=user)
    return user


def verify_email(*, token: str) -> User:
    """Confirm the address a verification link was made for; ValidationError when the link
    is broken, expired, or names an address the fan has since changed."""
    try:
        data = signing.loads(token, salt=_VERIFY_SALT, max_age=settings.EMAIL_VERIFICATION_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError(
            "This link has expired. Log in and send yourself a new one."
        ) from None
    except signing.BadSignature:
        raise ValidationError("This link is not one we sent (is it cut short?).") from None
    user = User.objects.filter(pk=data.get("id"), email=data.get("email"), is_active=True).first()
    if user is None:
        raise ValidationError("This link is for an address that is no longer in use here.")
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    return user
