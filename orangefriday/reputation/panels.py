"""What reputation shows on earlier apps' pages (core.panels): a fan's points on their
profile, a build's first testers above its notes and on its results."""

from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest

from orangefriday.accounts.models import User
from orangefriday.releases.models import Build

from .honour import first_testers_of
from .queries import fan_points

Loaded = dict[Any, dict[str, Any]]


def profile_points(request: HttpRequest, fans: Sequence[User]) -> Loaded:
    return {fan.pk: {"standing": fan_points(fan)} for fan in fans}


def build_first_testers(request: HttpRequest, builds: Sequence[Build]) -> Loaded:
    found = first_testers_of(list(builds))
    return {pk: {"first_testers": testers} for pk, testers in found.items() if testers}
