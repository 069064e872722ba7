from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString

from ..models import Post
from ..rows import render_rows

register = template.Library()


@register.simple_tag(takes_context=True)
def post_rows(context: template.Context, posts: Iterable[Post], **flags: bool) -> SafeString:
    """`{% post_rows posts show_vote=True %}`: each post's `<li>` (board.rows)."""
    return render_rows(context, posts, **flags)
