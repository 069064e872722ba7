from orangefriday.accounts.models import Role, User

from .models import Post, Product


def is_engineer_of(user: User, product: Product) -> bool:
    """Engineers of the product (and admins) run its workflow."""
    if user.role == Role.ADMIN or user.is_superuser:
        return True
    return product.engineers.filter(pk=user.pk).exists()


def can_moderate(user: User, product: Product) -> bool:
    """Merging duplicates is for the product's engineers and for moderators."""
    return user.is_moderator or is_engineer_of(user, product)


def can_read_log(user: object, post: Post) -> bool:
    """A bug's log may hold private data: only its reporter and the product's engineers."""
    if not isinstance(user, User) or not user.is_authenticated:
        return False
    return user.pk == post.author_id or is_engineer_of(user, post.product)
