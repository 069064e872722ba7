from django.core.exceptions import ValidationError

from orangefriday.accounts.models import User
from orangefriday.board.models import Post

from .models import Build


def announcement_rule(*, by: User, post: Post, change: str) -> None:
    """A board rule (board/rules.py): a build's release announcement is never merged, in
    either direction; it is the build's record, not a fan's post."""
    if change in ("merge", "merge_into") and Build.objects.filter(announcement=post).exists():
        raise ValidationError({"original": "A release announcement is never merged."})
