"""The rule every write a fan makes passes, like a permission: written once, called by the
actions (so pages and the API obey it alike), never for the system's own writes.

`check_fan_write(fan=…, action="post")` refuses a fan whose address is not verified yet
(EMAIL_VERIFICATION) and counts the write against the fan's limit for that action, scaled
by the fan's standing; over it, RateLimited says when to try again.
"""

from django.conf import settings
from django.utils import timezone

from orangefriday.core.errors import Refused
from orangefriday.core.limits import hit, parse_rates, scaled

from .models import Role, User
from .standing import share, tier

# What the refusal calls each action, as in "Too many posts".
ACTION_NOUNS = {
    "post": "posts",
    "comment": "comments",
    "vote": "votes",
    "report": "four-grid reports",
    "token": "new API tokens",
}


class EmailUnverified(Refused):
    """The fan has not opened the link sent to their address yet (the API answers 403)."""


def needs_verification(fan: User) -> bool:
    if not settings.EMAIL_VERIFICATION or fan.email_verified_at is not None:
        return False
    return fan.role == Role.FAN and not fan.is_superuser


def check_fan_write(*, fan: User, action: str, what: str | None = None) -> None:
    """Refuse `fan`'s `action` when their address is unverified or their limit for it
    (settings.RATE_LIMITS[action]) is used up; otherwise count it. `what` names the action
    in the refusal ("Too many <what> for now"), by default from ACTION_NOUNS: a later app
    adds its own action to RATE_LIMITS and passes `what`."""
    if needs_verification(fan):
        raise EmailUnverified(
            f"Confirm your e-mail address first: open the link we sent to {fan.email} "
            "(or send it again from your settings page)."
        )
    rates = settings.RATE_LIMITS[action]
    if not parse_rates(rates):  # "off": not even the fan's tier is looked up
        return
    rates = scaled(rates, share(tier(fan, now=timezone.now())))
    noun = what or ACTION_NOUNS[action]
    hit(action, rates, fan.pk, message=f"Too many {noun} for now")
