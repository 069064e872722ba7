"""Which build a fan runs."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from orangefriday.accounts.models import User

from .models import Build, Installation


def declare_running(*, fan: User, build: Build) -> Installation:
    """Record that `fan` runs `build` (idempotent). Only published builds can be run."""
    if not build.is_published:
        raise ValidationError({"build": gettext("This build is not published yet.")})
    installation, _ = Installation.objects.get_or_create(fan=fan, build=build)
    return installation
