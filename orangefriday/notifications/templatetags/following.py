from django import template

from orangefriday.board.models import Post

from ..queries import is_following

register = template.Library()


@register.simple_tag
def follows(user: object, post: Post) -> bool:
    """`{% follows user post as following %}`: whether a signed-in fan follows the post."""
    if not getattr(user, "is_authenticated", False):
        return False
    return is_following(user, post)  # type: ignore[arg-type]
