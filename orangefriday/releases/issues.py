"""A build's known issues: bug reports engineers list on it so that fans vote there
instead of reporting them again."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from orangefriday.accounts.models import User
from orangefriday.board.models import Kind, Post
from orangefriday.core.events import record

from .models import Build, KnownIssue
from .permissions import require_manager


def mark_known_issue(*, by: User, build: Build, post: Post) -> KnownIssue:
    """List a bug report of the build's product among the build's known issues; listing
    it twice keeps one."""
    require_manager(by, build.product)
    if post.kind != Kind.BUG:
        raise ValidationError({"post": gettext("Only bug reports are listed as known issues.")})
    if post.product_id != build.product_id:
        raise ValidationError(
            {
                "post": gettext("That post is not on the %(build_product)s board.")
                % {"build_product": build.product.local_name}
            }
        )
    with transaction.atomic():
        issue, created = KnownIssue.objects.get_or_create(
            build=build, post=post, defaults={"marked_by": by}
        )
        if created:
            record("known_issue.listed", subject=build, actor=by, post_id=post.pk)
    return issue


def unmark_known_issue(*, by: User, build: Build, post: Post) -> None:
    """Take a bug report off the build's known issues (nothing happens if it was not on)."""
    require_manager(by, build.product)
    with transaction.atomic():
        deleted, _ = KnownIssue.objects.filter(build=build, post=post).delete()
        if deleted:
            record("known_issue.removed", subject=build, actor=by, post_id=post.pk)
