from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import authenticate
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from orangefriday.core.images import clean_image
from orangefriday.core.limits import hit
from orangefriday.core.text import visible_line

from . import sql
from .erasure import erase_everywhere
from .limits import check_fan_write
from .models import (
    AVATAR_SIDE,
    DISPLAY_NAME_MAX_LENGTH,
    TIME_ZONE_MESSAGE,
    ApiToken,
    RetiredUsername,
    User,
    hash_token,
    new_raw_token,
    time_zones,
)


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
        raise ValidationError({"expires_at": _("Choose a moment in the future.")})
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


def user_for_token(raw: str, *, touch: bool = True) -> User | None:
    """The fan a raw API token belongs to (None for an unknown or revoked one), with
    `token_id` and `token_used_at` (see accounts.sql); with `touch` its last_used_at is
    written at most once a minute (plain SQL: accounts.sql). A write through the API
    stamps it after the write instead (middleware.TokenWriteMiddleware)."""
    now = timezone.now()
    return sql.user_for_token_hash(
        hash_token(raw),
        stale_before=now - timedelta(seconds=TOKEN_TOUCH_SECONDS),
        now=now,
        touch=touch,
    )


def stamp_token_write(token_id: int) -> None:
    """A write with this token is done (committed): its last_used_at is now, so that the
    fan's next read is never an answer kept from before it (board.api's kept list)."""
    sql.stamp_token(token_id, now=timezone.now())


_VERIFY_SALT = "orangefriday.verify-email"


def verification_link(user: User) -> str:
    """A link that confirms `user`'s current address, good for EMAIL_VERIFICATION_MAX_AGE."""
    token = signing.dumps({"id": user.pk, "email": user.email}, salt=_VERIFY_SALT)
    return settings.SITE_URL + reverse("accounts:verify_email", args=[token])


def send_verification(*, user: User) -> None:
    """E-mail `user` the link that confirms their address."""
    send_mail(
        "Confirm your e-mail address for Orange Friday",
        f"Hello {user.shown_name},\n\nOpen this link to confirm your address and log in:\n\n"
        f"{verification_link(user)}\n\nIt works for "
        f"{settings.EMAIL_VERIFICATION_MAX_AGE // 3600} hours. If you did not sign up, "
        "ignore this e-mail.\n",
        None,
        [user.email],
    )


def set_preferences(
    *, fan: User, language: str | None = None, time_zone: str | None = None
) -> None:
    """Change `fan`'s language and/or time zone (None keeps it), within LIMIT_PREFERENCES
    (counted even for a fan whose address is not confirmed: reading needs no address)."""
    if language is not None and language not in {"", *dict(settings.LANGUAGES)}:
        raise ValidationError({"language": _("Choose a language from the list.")})
    if time_zone and time_zone not in time_zones():
        raise ValidationError({"time_zone": TIME_ZONE_MESSAGE})
    hit("preferences", settings.RATE_LIMITS["preferences"], fan.pk, message=_("Too many changes"))
    changed = {"language": language, "time_zone": time_zone}
    for field, value in changed.items():
        if value is not None:
            setattr(fan, field, value)
    fan.save(update_fields=[field for field, value in changed.items() if value is not None])


def sign_up(
    *, username: str, email: str, password: str, language: str = "", time_zone: str = ""
) -> User | None:
    """Create a fan and send them the link that confirms their address. `language` and
    `time_zone` are the ones the sign-up page was seen in and the browser's guess.

    When a fan already uses `email`, nobody is created and that address is told instead,
    so the answer to the visitor is the same either way (whether an address is registered
    is never revealed). Returns the new fan, or None.
    """
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        send_mail(
            "Someone tried to sign up to Orange Friday with your address",
            f"Hello {existing.shown_name},\n\nSomeone (you?) tried to create an account with "
            "this address, which already has one. Log in, or reset your password here:\n\n"
            f"{settings.SITE_URL}{reverse('accounts:password_reset')}\n",
            None,
            [existing.email],
        )
        return None
    user = User.objects.create_user(
        username=username,
        email=email,
        password=password,
        language=language,
        time_zone=time_zone,
    )
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
        raise ValidationError(_("This link is not one we sent (is it cut short?).")) from None
    user = User.objects.filter(pk=data.get("id"), email=data.get("email"), is_active=True).first()
    if user is None:
        raise ValidationError(_("This link is for an address that is no longer in use here."))
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    return user


def _display_name(text: str) -> str:
    """A display name cleaned like every name a fan writes, within its length, and never
    another fan's username (a name that reads as "maya" would pass for the engineer)."""
    name = visible_line(text, field="display_name")
    if len(name) > DISPLAY_NAME_MAX_LENGTH:
        raise ValidationError(
            {
                "display_name": _("A display name is at most %(limit)d characters.")
                % {"limit": DISPLAY_NAME_MAX_LENGTH}
            }
        )
    return name


def _check_not_another_fan(fan: User, name: str) -> None:
    if name and User.objects.filter(username__iexact=name).exclude(pk=fan.pk).exists():
        raise ValidationError(
            {"display_name": _("That is another fan's username; choose a name of your own.")}
        )


def _delete_file_after_commit(storage: Storage, name: str) -> None:
    """The old file goes only once the row no longer names it (a rollback keeps it)."""
    if name:
        transaction.on_commit(partial(storage.delete, name))


def update_profile(
    *,
    fan: User,
    display_name: str | None = None,
    avatar: UploadedFile | None = None,
    remove_avatar: bool = False,
) -> None:
    """Change what other fans see of `fan`: the display name shown instead of the username
    ("" goes back to the username; None keeps it) and the avatar (an upload, re-encoded by
    core.images to at most AVATAR_SIDE px and stored under a new name; or removed, for the
    drawn initial). A replaced or removed avatar's file is deleted after commit. One change
    counts once against LIMIT_PROFILE; a silenced fan changes nothing."""
    fields = []
    if display_name is not None:
        name = _display_name(display_name)
        _check_not_another_fan(fan, name)
        fields.append("display_name")
    image = clean_image(avatar, field="avatar", max_side=AVATAR_SIDE) if avatar else None
    remove_avatar = remove_avatar and image is None and bool(fan.avatar)
    if not fields and image is None and not remove_avatar:
        return
    check_fan_write(fan=fan, action="profile")
    old_avatar = fan.avatar.name
    with transaction.atomic():
        if fields:
            fan.display_name = name
        if image is not None:
            fan.avatar.save(image.file.name or "image.jpg", image.file, save=False)
            fields.append("avatar")
        elif remove_avatar:
            fan.avatar = ""  # type: ignore[assignment]
            fields.append("avatar")
        try:
            fan.save(update_fields=fields)
        except BaseException:
            if image is not None:  # never a file that no row names
                fan.avatar.storage.delete(fan.avatar.name)
            raise
        if "avatar" in fields:
            _delete_file_after_commit(fan.avatar.storage, old_avatar)


def check_password_again(*, fan: User, password: str, request: HttpRequest | None) -> None:
    """Refuse a sensitive change (the address, leaving) unless `password` is the fan's:
    checked through `authenticate()`, so the log-in lockout counts wrong guesses and a
    stolen session cannot guess its way in. ValidationError on "password"."""
    if authenticate(request, username=fan.get_username(), password=password) is not None:
        return
    lock = getattr(request, "login_lock", None)
    message = lock.message() if lock is not None else _("That is not your password.")
    raise ValidationError({"password": message})


_EMAIL_CHANGE_SALT = "orangefriday.change-email"


def _in_language_of(fan: User) -> translation.override:
    return translation.override(fan.language or settings.LANGUAGE_CODE)


def request_email_change(
    *, fan: User, email: str, password: str, request: HttpRequest | None = None
) -> None:
    """Send a link to `email` that makes it `fan`'s address when opened (signed, good for
    EMAIL_VERIFICATION_MAX_AGE, and only while the fan's address is still the one it was
    made for, so it works once). Until then nothing changes. When another fan has that
    address, that address is told instead, and the answer is the same (whether an
    address is registered is never revealed). Within LIMIT_EMAIL_CHANGES."""
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    if email.lower() == fan.email.lower():
        raise ValidationError({"email": _("That is already your address.")})
    check_password_again(fan=fan, password=password, request=request)
    hit(
        "email_change",
        settings.RATE_LIMITS["email_change"],
        fan.pk,
        message=_("We sent several links already"),
        field="email",
    )
    taken = User.objects.filter(email__iexact=email).exclude(pk=fan.pk).exists()
    with _in_language_of(fan):
        if taken:
            send_mail(
                _("Someone tried to move an Orange Friday account to your address"),
                _(
                    "Hello,\n\nSomeone (you?) asked to use this address for an Orange Friday "
                    "account, but it already has one. Nothing was changed. If you forgot "
                    "your password, reset it here:\n\n%(url)s\n"
                )
                % {"url": settings.SITE_URL + reverse("accounts:password_reset")},
                None,
                [email],
            )
            return
        token = signing.dumps(
            {"id": fan.pk, "old": fan.email, "new": email}, salt=_EMAIL_CHANGE_SALT
        )
        send_mail(
            _("Confirm your new e-mail address for Orange Friday"),
            _(
                "Hello %(name)s,\n\nOpen this link to make this your address on Orange "
                "Friday:\n\n%(url)s\n\nIt works for %(hours)d hours. Until you open it, "
                "nothing changes. If you did not ask for this, ignore this e-mail.\n"
            )
            % {
                "name": fan.shown_name,
                "url": settings.SITE_URL + reverse("accounts:confirm_email", args=[token]),
                "hours": settings.EMAIL_VERIFICATION_MAX_AGE // 3600,
            },
            None,
            [email],
        )


def confirm_email_change(*, token: str) -> User:
    """Make the address an email-change link was sent to its fan's, and tell the old
    address; ValidationError when the link is broken, expired or already used (the fan's
    address is no longer the one it was made for), or the address was taken meanwhile."""
    try:
        data = signing.loads(
            token, salt=_EMAIL_CHANGE_SALT, max_age=settings.EMAIL_VERIFICATION_MAX_AGE
        )
    except signing.SignatureExpired:
        raise ValidationError(
            _("This link has expired. Ask for a new one on your settings page.")
        ) from None
    except signing.BadSignature:
        raise ValidationError(_("This link is not one we sent (is it cut short?).")) from None
    with transaction.atomic():
        fan = (
            User.objects.select_for_update()
            .filter(pk=data.get("id"), email=data.get("old"), is_active=True)
            .first()
        )
        if fan is None:
            raise ValidationError(_("This link was used already, or its account has changed."))
        new = data["new"]
        if User.objects.filter(email__iexact=new).exclude(pk=fan.pk).exists():
            raise ValidationError(_("This address is in use by another account now."))
        old, fan.email, fan.email_verified_at = fan.email, new, timezone.now()
        fan.save(update_fields=["email", "email_verified_at"])
        transaction.on_commit(partial(_tell_old_address, fan, old))
    return fan


def _tell_old_address(fan: User, old: str) -> None:
    with _in_language_of(fan):
        send_mail(
            _("Your Orange Friday address was changed"),
            _(
                "Hello %(name)s,\n\nThe e-mail address of your Orange Friday account "
                "(@%(username)s) is now %(new)s; this address will get nothing more from "
                "us. If you did not change it, reset your password at once:\n\n%(url)s\n"
            )
            % {
                "name": fan.shown_name,
                "username": fan.username,
                "new": fan.email,
                "url": settings.SITE_URL + reverse("accounts:password_reset"),
            },
            None,
            [old],
        )


def delete_account(
    *, fan: User, password: str, keep_content: bool, request: HttpRequest | None = None
) -> None:
    """Delete `fan`'s account, all of it or nothing (one transaction): every app erases its
    personal rows (accounts.erasure); posts and comments stay under "a former fan" or, if
    not `keep_content`, become tombstones as when their author deletes them; votes stay
    as counts. The row itself stays, blanked, for what still points to it: no e-mail,
    names, bio, avatar (its file deleted after commit), tokens, settings or usable password
    (which ends every session), and the username is retired (RetiredUsername) so that old
    @mentions never come to mean someone else."""
    check_password_again(fan=fan, password=password, request=request)
    with transaction.atomic():
        fan = User.objects.select_for_update().get(pk=fan.pk)
        erase_everywhere(fan, keep_content=keep_content)
        RetiredUsername.objects.get_or_create(digest=RetiredUsername.digest_of(fan.username))
        fan.api_tokens.all().delete()
        _delete_file_after_commit(fan.avatar.storage, fan.avatar.name)
        fan.username = f"former-fan-{fan.pk}"
        fan.email = fan.first_name = fan.last_name = fan.bio = fan.display_name = ""
        fan.avatar = ""  # type: ignore[assignment]
        fan.language = fan.time_zone = ""
        fan.silence_reason = fan.suspension_reason = ""
        fan.email_verified_at = None
        fan.is_active = fan.is_staff = fan.is_superuser = False
        fan.deleted_at = timezone.now()
        fan.set_unusable_password()  # a new hash: every session of the fan stops working
        fan.save()
