"""Following posts: the fans who hear about a post. Board and voting call `subscribe` when
a fan posts, comments or votes; the fan's own choice is `set_following`."""

from django.db import transaction
from django.utils import timezone

from . import sql
from .models import Subscription


def subscribe(*, fan_id: int, post_id: int) -> None:
    """Follow a post because the fan posted, voted or commented on it. An earlier explicit
    unfollow is respected."""
    sql.insert_subscription(fan_id=fan_id, post_id=post_id, now=timezone.now())


def set_following(*, fan_id: int, post_id: int, following: bool) -> None:
    """The fan's explicit choice to follow a post or not (remembered either way)."""
    with transaction.atomic():
        subscription, created = Subscription.objects.get_or_create(
            fan_id=fan_id, post_id=post_id, defaults={"active": following}
        )
        if not created and subscription.active != following:
            subscription.active = following
            if following:
                subscription.created_at = timezone.now()
            subscription.save(update_fields=["active", "created_at"])


def copy_followers(*, from_post_id: int, to_post_id: int) -> None:
    """The followers of one post follow another too (a merged duplicate's, its original)."""
    followers = Subscription.objects.filter(post_id=from_post_id, active=True).values_list(
        "fan_id", flat=True
    )
    Subscription.objects.bulk_create(
        [Subscription(fan_id=fan_id, post_id=to_post_id) for fan_id in followers],
        ignore_conflicts=True,
    )
