"""Who moderates what (each rule once; views, the API and the actions call them)."""

from orangefriday.accounts.models import User
from orangefriday.board.models import Product
from orangefriday.board.permissions import can_moderate


def can_review(user: User, product: Product) -> bool:
    """The queue's items of a product: moderators, and that product's engineers."""
    return can_moderate(user, product)


def can_feature(user: object, product: Product) -> bool:
    """Featuring a good post (and unfeaturing it): moderators, and the product's engineers
    (and admins), as MIUI's moderators featured the best posts."""
    return isinstance(user, User) and user.is_authenticated and can_moderate(user, product)


def sees_queue(user: object) -> bool:
    """The queue page: moderators see every product, engineers their products."""
    if not isinstance(user, User) or not user.is_authenticated:
        return False
    return user.is_moderator or user.is_admin or user.engineering_products.exists()


def can_sanction(user: object) -> bool:
    """Silencing, suspending, blocking, granting leader, and the log: moderators only (a
    fan's writing is site-wide, not one product's)."""
    return isinstance(user, User) and user.is_authenticated and user.is_moderator
