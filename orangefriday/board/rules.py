"""Rules that later apps add about what may be done to a post: a team's claim, a build's
announcement. The board calls them without importing those apps (imports point one way);
each app registers its own rule once, in its AppConfig.ready.

A rule is called as `rule(by=fan, post=post, change=change)` (`by` is None for the
system's own change, e.g. a post reopened by its voters' answers) and raises PermissionDenied or
ValidationError to refuse. `change` is one of:
  "merge"            the post is merged away into another (it is the duplicate)
  "merge_into"       another post is merged into this one (it is the original)
  "status:<status>"  the post's status is set to <status> (e.g. "status:shipped")
"""

from collections.abc import Callable

from orangefriday.accounts.models import User

from .models import Post

PostRule = Callable[..., None]
_rules: list[PostRule] = []


def add_post_rule(rule: PostRule) -> None:
    if rule not in _rules:
        _rules.append(rule)


def check_post_rules(*, by: User | None, post: Post, change: str) -> None:
    """Refuse `change` to `post` if any app's rule does."""
    for rule in _rules:
        rule(by=by, post=post, change=change)


# Hold rules: whether a fan's new post waits for a moderator before others see it (the
# trust levels of moderation hold a new fan's first links and images). A rule is called
# as `rule(author=fan, text=markdown, images=n)` (n: the images attached to the post) and
# returns the reason to hold it, or "".
HoldRule = Callable[..., str]
_holds: list[HoldRule] = []


def add_hold_rule(rule: HoldRule) -> None:
    if rule not in _holds:
        _holds.append(rule)


def hold_reason(*, author: User, text: str, images: int = 0) -> str:
    """Why this post waits for review ("" when it is shown at once)."""
    for rule in _holds:
        reason = rule(author=author, text=text, images=images)
        if reason:
            return reason
    return ""
