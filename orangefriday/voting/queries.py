from orangefriday.accounts.models import User
from orangefriday.board.models import Post


def voted_posts(fan: User, limit: int = 20) -> list[Post]:
    """The posts the fan voted for, most recent vote first."""
    return list(
        Post.objects.visible()
        .filter(votes__fan=fan)
        .select_related("product", "author", "category")
        .order_by("-votes__created_at")[:limit]
    )
