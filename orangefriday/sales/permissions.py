"""Who may run a product's sales, and who sees and pays an order (each rule once: the
pages, the API and the actions call them)."""

from orangefriday.accounts.models import User
from orangefriday.board.models import Product
from orangefriday.board.permissions import is_engineer_of

from .models import Order


def can_run_sales(user: User, product: Product) -> bool:
    """Its engineers and admins (the board's own rule)."""
    return is_engineer_of(user, product)


def can_see_order(user: User, order: Order) -> bool:
    """The fan who ordered, and the product's engineers (who ship, cancel and refund)."""
    return order.fan_id == user.pk or can_run_sales(user, order.sale_round.launch.product)


def can_pay(user: User, order: Order) -> bool:
    """Only the fan who ordered: an engineer is not sent to pay a fan's order."""
    return order.fan_id == user.pk
