"""Who may do what with builds: each rule once; views, the API and actions call these."""

from django.core.exceptions import PermissionDenied, ValidationError

from orangefriday.accounts.models import User
from orangefriday.board.models import Post, Product
from orangefriday.board.permissions import is_engineer_of

from .models import Build


def can_manage(user: object, product: Product) -> bool:
    """Engineers of the product (and admins) cut, edit, publish and roll out its builds."""
    return isinstance(user, User) and user.is_authenticated and is_engineer_of(user, product)


def can_see(user: object, build: Build) -> bool:
    """A draft build is visible only to its product's engineers; a published one to all."""
    return build.published_at is not None or can_manage(user, build.product)


def require_manager(by: User | None, product: Product) -> None:
    """`can_manage` for actions: PermissionDenied unless `by` may; None is the system (the
    Friday scheduler, `manage.py cut_release`, the rollout guard)."""
    if by is not None and not can_manage(by, product):
        raise PermissionDenied(f"Only engineers of {product.name} manage its builds.")


def announcement_rule(*, by: User, post: Post, change: str) -> None:
    """A board rule (board/rules.py): a build's release announcement is never merged, in
    either direction; it is the build's record, not a fan's post."""
    if change in ("merge", "merge_into") and Build.objects.filter(announcement=post).exists():
        raise ValidationError({"original": "A release announcement is never merged."})
