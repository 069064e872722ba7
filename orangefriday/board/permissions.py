from orangefriday.accounts.models import User

from .models import Comment, Post, Product, Visibility


def is_engineer_of(user: User, product: Product) -> bool:
    """Engineers of the product (and admins) run its workflow."""
    return user.is_admin or speaks_for(user, product)


def speaks_for(user: User, product: Product) -> bool:
    """An engineer of the product: their comments carry the official badge (an admin's
    do not, unless they are one)."""
    return product.pk in _engineering(user)


def _engineering(user: User) -> frozenset[int]:
    """The products the fan is an engineer of, read once per user object: a page asks
    for each of its panels (a request's fan lives for that request; one made an engineer
    since shows as one from their next)."""
    products = getattr(user, "_engineering_products", None)
    if products is None:
        products = frozenset(user.engineering_products.values_list("pk", flat=True))
        user._engineering_products = products  # type: ignore[attr-defined]
    return products


def can_moderate(user: User, product: Product) -> bool:
    """Merging duplicates is for the product's engineers and for moderators."""
    return user.is_moderator or is_engineer_of(user, product)


def can_see_post(user: object, post: Post) -> bool:
    """A post that is not visible (held, hidden, deleted) is still shown, with its state,
    to its author and to those who moderate its product; everyone else gets a tombstone."""
    if post.visibility == Visibility.VISIBLE:
        return True
    if not isinstance(user, User) or not user.is_authenticated:
        return False
    return user.pk == post.author_id or can_moderate(user, post.product)


def can_read_log(user: object, post: Post) -> bool:
    """A bug's log may hold private data: only its reporter and the product's engineers."""
    if not isinstance(user, User) or not user.is_authenticated:
        return False
    return user.pk == post.author_id or is_engineer_of(user, post.product)


def can_change_comment(user: object, comment: Comment) -> bool:
    """A comment's edit and delete links: for its author, while it is shown."""
    pk = getattr(user, "pk", None)
    return pk is not None and pk == comment.author_id and comment.visibility == Visibility.VISIBLE
