"""How far a fan's limits reach, until trust levels (issue 11) replace this with their own.

One function, `tier`, answers it from what we know today: the account's age and whether the
fan has taken part before. Staff (engineers, moderators, admins) count as members.
"""

from datetime import datetime, timedelta
from enum import IntEnum

from django.conf import settings

from .models import Role, User

NEW_FAN_AGE = timedelta(days=1)


class Tier(IntEnum):
    NEW = 0
    BASIC = 1
    MEMBER = 2


def tier_for(*, role: str, joined: datetime, has_taken_part: bool, now: datetime) -> Tier:
    """The pure rule: less than a day old is new; a member is FAN_MEMBER_DAYS old and has
    written or voted before; staff are members from the start."""
    if role != Role.FAN:
        return Tier.MEMBER
    age = now - joined
    if age < NEW_FAN_AGE:
        return Tier.NEW
    if age < timedelta(days=settings.FAN_MEMBER_DAYS) or not has_taken_part:
        return Tier.BASIC
    return Tier.MEMBER


def _has_taken_part(fan: User) -> bool:
    return fan.votes.exists() or fan.comments.exists() or fan.posts.exists()


def tier(fan: User, *, now: datetime) -> Tier:
    """The fan's tier now (a query only for fans old enough to be members)."""
    old_enough = now - fan.date_joined >= timedelta(days=settings.FAN_MEMBER_DAYS)
    role = Role.ADMIN if fan.is_superuser else fan.role
    return tier_for(
        role=role,
        joined=fan.date_joined,
        has_taken_part=old_enough and role == Role.FAN and _has_taken_part(fan),
        now=now,
    )


def share(level: Tier) -> float:
    """The part of each fan limit this tier gets."""
    return {
        Tier.NEW: settings.LIMIT_SHARE_NEW,
        Tier.BASIC: settings.LIMIT_SHARE_BASIC,
        Tier.MEMBER: 1.0,
    }[level]
