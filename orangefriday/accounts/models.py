import hashlib
import secrets
import zoneinfo
from functools import cache

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orangefriday.core.images import ImageStorage, image_path
from orangefriday.core.text import INVISIBLE_MESSAGE, is_visible


class Role(models.TextChoices):
    FAN = "fan", _("Fan")
    ENGINEER = "engineer", _("Engineer")
    MODERATOR = "moderator", _("Moderator")
    ADMIN = "admin", _("Admin")


class TrustLevel(models.IntegerChoices):
    """Discourse's ladder: earned by reading and taking part (0-3), granted by moderators (4).

    The level is stored on the fan so that a vote, a read or a flag can carry the level its
    fan had at that moment; the rules that earn and lose levels belong to moderation.
    """

    NEW = 0, _("new")
    BASIC = 1, _("basic")
    MEMBER = 2, _("member")
    REGULAR = 3, _("regular")
    LEADER = 4, _("leader")


def check_username(username: str) -> None:
    """Sign-up's rule for a username beyond Django's own characters: something visible,
    and never the name of a deleted account (said like any taken name)."""
    if not is_visible(username):
        raise ValidationError(INVISIBLE_MESSAGE)
    if RetiredUsername.objects.filter(digest=RetiredUsername.digest_of(username)).exists():
        raise ValidationError(_("A user with that username already exists."))


@cache
def time_zones() -> list[str]:
    """Every IANA zone a fan may choose ("Asia/Shanghai"), sorted."""
    return sorted(zoneinfo.available_timezones() - {"Factory", "localtime"})


TIME_ZONE_MESSAGE = _("Choose a time zone from the list.")


def check_time_zone(name: str) -> None:
    if name and name not in time_zones():
        raise ValidationError(TIME_ZONE_MESSAGE, code="time_zone")


DISPLAY_NAME_MAX_LENGTH = 50
FORMER_FAN = _("a former fan")
AVATAR_SIDE = 256


class User(AbstractUser):
    """A fan: anyone registered. Engineers, moderators and admins are fans with a role."""

    role = models.CharField(max_length=16, choices=Role.choices, default=Role.FAN)
    bio = models.CharField(max_length=280, blank=True)
    # Set when the fan opened the link sent to their address (EMAIL_VERIFICATION).
    email_verified_at = models.DateTimeField(null=True, blank=True)
    trust_level = models.PositiveSmallIntegerField(
        choices=TrustLevel.choices, default=TrustLevel.NEW
    )
    # Pages, emails and notifications in this language; blank follows the browser's.
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, blank=True)
    # Times are shown in this IANA zone ("Asia/Shanghai"); blank shows them in TIME_ZONE.
    time_zone = models.CharField(max_length=64, blank=True, validators=[check_time_zone])
    # A moderator's decisions on the fan (moderation.actions), each with the reason the fan
    # sees. Silenced: reads but no posting, commenting, voting or flagging, and their votes
    # stop counting. Suspended: no log-in at all (sessions and tokens stop working).
    silenced_until = models.DateTimeField(null=True, blank=True)
    silence_reason = models.CharField(max_length=200, blank=True)
    suspended_until = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.CharField(max_length=200, blank=True)
    # Shown instead of the username wherever a fan's name is shown (`shown_name`); the
    # username stays the fan's address (profile URL, @mentions).
    display_name = models.CharField(max_length=DISPLAY_NAME_MAX_LENGTH, blank=True)
    # Only ever written from core.images.clean_image (re-encoded, at most AVATAR_SIDE px),
    # under a new random name at each change, so its URL may be cached for ever.
    avatar = models.FileField(storage=ImageStorage(), upload_to=image_path, blank=True)
    # Set when the fan deleted their account: the row stays (their kept posts, comments
    # and votes point to it) with every personal field blanked (actions.delete_account).
    deleted_at = models.DateTimeField(null=True, blank=True)

    @property
    def shown_name(self) -> str:
        """The name pages, emails and notifications show for this fan."""
        if self.deleted_at is not None:
            return str(FORMER_FAN)
        return self.display_name or self.username

    @property
    def avatar_url(self) -> str:
        """The address of the fan's avatar, "" when they have none (pages draw an initial)."""
        if not self.avatar:
            return ""
        return reverse("accounts:avatar", args=[self.avatar.name.rsplit("/", 1)[-1]])

    @property
    def is_admin(self) -> bool:
        """Admins may do what any engineer or team member may, on every product."""
        return self.role == Role.ADMIN or self.is_superuser

    @property
    def is_moderator(self) -> bool:
        return self.role in (Role.MODERATOR, Role.ADMIN) or self.is_superuser

    @property
    def is_silenced(self) -> bool:
        return self.silenced_until is not None and self.silenced_until > timezone.now()

    @property
    def is_suspended(self) -> bool:
        return self.suspended_until is not None and self.suspended_until > timezone.now()


def fan_of(request: HttpRequest) -> User:
    """The signed-in fan of a request that passed login_required or API auth."""
    if not isinstance(request.user, User):
        raise PermissionDenied("Log in first.")
    return request.user


TOKEN_PREFIX = "of_"


def hash_token(raw: str) -> str:
    # Tokens are 32 random bytes, so a fast hash is enough: there is nothing to brute-force.
    return hashlib.sha256(raw.encode()).hexdigest()


def new_raw_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=timezone.now())
        )


class ApiToken(models.Model):
    """A personal API token. Only its hash is stored; the token itself is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    token_hash = models.CharField(max_length=64, unique=True)
    # The first characters let a fan tell tokens apart on the settings page.
    hint = models.CharField(max_length=12)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # A token past this moment is refused like a revoked one; None never expires.
    expires_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"


class RetiredUsername(models.Model):
    """The username of a deleted account, kept from reuse: old @mentions and credits must
    not come to mean someone else. Only a digest is kept, so the list of names is not."""

    digest = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return self.digest[:12]

    @staticmethod
    def digest_of(username: str) -> str:
        return hashlib.sha256(username.casefold().encode()).hexdigest()
