from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser

from orangefriday.accounts.models import User

from .models import Vote


def voted_post_ids(*, fan: User | AnonymousUser, post_ids: Iterable[int]) -> set[int]:
    """Which of these posts the fan voted for, in one query."""
    if not fan.is_authenticated:
        return set()
    return set(
        Vote.objects.filter(fan_id=fan.pk, post_id__in=list(post_ids)).values_list(
            "post_id", flat=True
        )
    )
