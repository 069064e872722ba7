"""Planning's part of erasing a fan: a former fan is on no team (their claims stay: the
team made them)."""

from orangefriday.accounts import erasure
from orangefriday.accounts.models import User


def _erase(fan: User, keep_content: bool) -> None:
    fan.teams.clear()


erasure.register("planning", _erase)
