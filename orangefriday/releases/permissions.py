"""Who may do what with builds: each rule once; views, the API and actions call these."""

from orangefriday.accounts.models import User
from orangefriday.board.models import Product
from orangefriday.board.permissions import is_engineer_of

from .models import Build


def can_manage(user: object, product: Product) -> bool:
    """Engineers of the product (and admins) cut, edit, publish and roll out its builds."""
    return isinstance(user, User) and user.is_authenticated and is_engineer_of(user, product)


def can_see(user: object, build: Build) -> bool:
    """A draft build is visible only to its product's engineers; a published one to all."""
    return build.published_at is not None or can_manage(user, build.product)
