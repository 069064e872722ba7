from django.contrib.auth.models import AnonymousUser

from orangefriday.accounts.models import User
from orangefriday.board.models import Product
from orangefriday.board.permissions import is_engineer_of

from .models import Team


def is_admin(user: User | AnonymousUser) -> bool:
    return isinstance(user, User) and user.is_admin


def can_manage_teams(user: User | AnonymousUser, product: Product) -> bool:
    """Forming teams and changing their members or capacity: the product's engineers."""
    return isinstance(user, User) and is_engineer_of(user, product)


def can_plan_for(user: User | AnonymousUser, team: Team) -> bool:
    """Claiming, releasing and shipping for a team: its members (and admins)."""
    if not isinstance(user, User):
        return False
    return is_admin(user) or team.members.filter(pk=user.pk).exists()
