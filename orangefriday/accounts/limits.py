"""The rule every write a fan makes passes, like a permission: written once, called by the
actions (so pages and the API obey it alike), never for the system's own writes.

`check_fan_write(fan=…, action="post")` refuses a fan whose address is not verified yet
(EMAIL_VERIFICATION) and counts the write against the fan's limit for that action, scaled
by the fan's trust level (standing.py); over it, RateLimited says when to try again.
"""

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orangefriday.core.errors import Refused
from orangefriday.core.limits import hit, parse_rates, scaled

from .models import Role, User
from .standing import share

# What the refusal calls each action, as in "Too many posts".
ACTION_NOUNS = {
    "post": gettext_lazy("posts"),
    "comment": gettext_lazy("comments"),
    "vote": gettext_lazy("votes"),
    "report": gettext_lazy("four-grid reports"),
    "token": gettext_lazy("new API tokens"),
    "profile": gettext_lazy("changes of your display name or avatar"),
}


class EmailUnverified(Refused):
    """The fan has not opened the link sent to their address yet (the API answers 403)."""


class Silenced(Refused):
    """A moderator silenced the fan until a date (the API answers 403 with the reason)."""


# A silenced fan still manages their own API tokens (reading stays open to them).
UNSILENCED_ACTIONS = frozenset({"token"})


def check_not_silenced(fan: User) -> None:
    """Refuse a silenced fan's write, saying until when and why."""
    if fan.is_silenced:
        assert fan.silenced_until is not None
        raise Silenced(
            _("You are silenced until %(until)s: %(reason)s")
            % {
                "until": date_format(fan.silenced_until, "DATETIME_FORMAT"),
                "reason": fan.silence_reason,
            }
        )


def needs_verification(fan: User) -> bool:
    if not settings.EMAIL_VERIFICATION or fan.email_verified_at is not None:
        return False
    return fan.role == Role.FAN and not fan.is_superuser


def check_fan_write(*, fan: User, action: str, what: str | None = None) -> None:
    """Refuse `fan`'s `action` when their address is unverified or their limit for it
    (settings.RATE_LIMITS[action]) is used up; otherwise count it. `what` names the action
    in the refusal ("Too many <what> for now"), by default from ACTION_NOUNS: a later app
    adds its own action to RATE_LIMITS and passes `what`. A silenced fan is refused too."""
    if action not in UNSILENCED_ACTIONS:
        check_not_silenced(fan)
    if needs_verification(fan):
        raise EmailUnverified(
            f"Confirm your e-mail address first: open the link we sent to {fan.email} "
            "(or send it again from your settings page)."
        )
    rates = settings.RATE_LIMITS[action]
    if not parse_rates(rates):  # "off": nothing to count
        return
    rates = scaled(rates, share(fan))
    noun = what or ACTION_NOUNS[action]
    hit(action, rates, fan.pk, message=_("Too many %(what)s for now") % {"what": noun})
