"""Builds made straight with the ORM, for the notification tests."""

from collections.abc import Iterable
from datetime import date

from django.db import transaction

from orangefriday.board.models import Post, Product
from orangefriday.core.events import dispatch, record
from orangefriday.notifications.models import Notification
from orangefriday.releases.models import Build, Change


def make_build(product: Product, version: str, posts: Iterable[Post]) -> Build:
    """A published developer build carrying `posts`, written straight to the database."""
    year, month, day = (int(part) for part in version.split("."))
    build = Build.objects.create(
        product=product,
        channel="developer",
        version=version,
        version_date=date(2000 + year, month, day),
    )
    Change.objects.bulk_create(
        Change(build=build, post=post, kind="new", text=post.title, position=i)
        for i, post in enumerate(posts)
    )
    return build


def record_published(build: Build) -> None:
    """The event publishing a build records (releases.publishing.publish_build)."""
    with transaction.atomic():
        record(
            "build.published",
            subject=build,
            product_id=build.product_id,
            channel=build.channel,
            version=build.version,
            url=build.get_absolute_url(),
        )


def tell_build(build: Build) -> int:
    """What publishing a build sets off after commit: its `build.published` event, handed
    to the consumers by the dispatcher. Returns how many fans were told this time."""
    before = Notification.objects.filter(build=build).count()
    record_published(build)
    dispatch()
    return Notification.objects.filter(build=build).count() - before
