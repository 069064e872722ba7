"""How far a fan's limits reach: a share of each member's limit, by the fan's trust level
(earned and lost by the rules of moderation.trust; stored on the fan, so no query here).
Staff (engineers, moderators, admins) count as members from the start."""

from django.conf import settings

from .models import Role, TrustLevel, User


def share(fan: User) -> float:
    """The part of each fan limit this fan gets: LIMIT_SHARE_NEW at level 0,
    LIMIT_SHARE_BASIC at level 1, all of it from level 2 (member) on."""
    if fan.role != Role.FAN or fan.is_superuser:
        return 1.0
    if fan.trust_level == TrustLevel.NEW:
        return settings.LIMIT_SHARE_NEW
    if fan.trust_level == TrustLevel.BASIC:
        return settings.LIMIT_SHARE_BASIC
    return 1.0
