from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext

from orangefriday.accounts.models import User
from orangefriday.board.models import Post, Product, Status
from orangefriday.board.permissions import is_engineer_of

from .models import Claim, Team


def is_admin(user: User | AnonymousUser) -> bool:
    return isinstance(user, User) and user.is_admin


def can_manage_teams(user: User | AnonymousUser, product: Product) -> bool:
    """Forming teams and changing their members or capacity: the product's engineers."""
    return isinstance(user, User) and is_engineer_of(user, product)


def can_plan_for(user: User | AnonymousUser | None, team: Team) -> bool:
    """Claiming, releasing and shipping for a team: its members (and admins)."""
    if not isinstance(user, User):
        return False
    return is_admin(user) or team.members.filter(pk=user.pk).exists()


def claimed_post_rule(*, by: User | None, post: Post, change: str) -> None:
    """A board rule (board/rules.py) for posts a team has claimed: only that team's members
    (and admins) set one `shipped`, whichever route they take, and none is merged away
    into another post while its claim stands."""
    claim = Claim.objects.select_related("team").filter(post_id=post.pk).first()
    if claim is None:
        return
    team = claim.team
    if change == f"status:{Status.SHIPPED}" and not can_plan_for(by, team):
        raise PermissionDenied(
            gettext("Only members of team %(team)s ship its claims.") % {"team": team.name}
        )
    if change == "merge":
        raise ValidationError(
            {"original": f"Team {team.name} has claimed this post; release the claim first."}
        )
