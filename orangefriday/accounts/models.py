import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from orangefriday.core.text import INVISIBLE_MESSAGE, is_visible


class Role(models.TextChoices):
    FAN = "fan", "Fan"
    ENGINEER = "engineer", "Engineer"
    MODERATOR = "moderator", "Moderator"
    ADMIN = "admin", "Admin"


def check_username(username: str) -> None:
    """Sign-up's rule for a username beyond Django's own characters: something visible."""
    if not is_visible(username):
        raise ValidationError(INVISIBLE_MESSAGE)


class User(AbstractUser):
    """A fan: anyone registered. Engineers, moderators and admins are fans with a role."""

    role = models.CharField(max_length=16, choices=Role.choices, default=Role.FAN)
    bio = models.CharField(max_length=280, blank=True)
    # Set when the fan opened the link sent to their address (EMAIL_VERIFICATION).
    email_verified_at = models.DateTimeField(null=True, blank=True)

    @property
    def is_admin(self) -> bool:
        """Admins may do what any engineer or team member may, on every product."""
        return self.role == Role.ADMIN or self.is_superuser

    @property
    def is_moderator(self) -> bool:
        return self.role in (Role.MODERATOR, Role.ADMIN) or self.is_superuser


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
