"""Who may do what with builds: each rule once; views, the API and actions call these."""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext

from orangefriday.accounts.models import User
from orangefriday.board.models import Post, Product
from orangefriday.board.permissions import is_engineer_of

from .models import Build, Channel

# Who besides a product's engineers sees its internal builds: rules that later apps add
# from their AppConfig.ready (reputation: the product's beta testers), `rule(fan, product)`.
InternalAudience = Callable[[User, Product], bool]
_internal_audiences: list[InternalAudience] = []


def add_internal_audience(rule: InternalAudience) -> None:
    if rule not in _internal_audiences:
        _internal_audiences.append(rule)


def can_manage(user: object, product: Product) -> bool:
    """Engineers of the product (and admins) cut, edit, publish and roll out its builds."""
    return isinstance(user, User) and user.is_authenticated and is_engineer_of(user, product)


def can_see_internal(user: object, product: Product) -> bool:
    """Internal builds and their notes: the product's engineers and its internal audience
    (its testers) only. Every page and API answer that shows or lists builds asks this."""
    if not isinstance(user, User) or not user.is_authenticated:
        return False
    return can_manage(user, product) or any(rule(user, product) for rule in _internal_audiences)


def can_see(user: object, build: Build) -> bool:
    """A draft build is visible only to its product's engineers; a published one to all,
    but an internal one only to those who see internal builds (`can_see_internal`)."""
    if build.channel == Channel.INTERNAL and not can_see_internal(user, build.product):
        return False
    return build.published_at is not None or can_manage(user, build.product)


def require_manager(by: User | None, product: Product) -> None:
    """`can_manage` for actions: PermissionDenied unless `by` may; None is the system (the
    Friday scheduler, `manage.py cut_release`, the rollout guard)."""
    if by is not None and not can_manage(by, product):
        raise PermissionDenied(
            gettext("Only engineers of %(product)s manage its builds.")
            % {"product": product.local_name}
        )


def announcement_rule(*, by: User | None, post: Post, change: str) -> None:
    """A board rule (board/rules.py): a build's release announcement is never merged, in
    either direction; it is the build's record, not a fan's post."""
    if change in ("merge", "merge_into") and Build.objects.filter(announcement=post).exists():
        raise ValidationError({"original": gettext("A release announcement is never merged.")})
