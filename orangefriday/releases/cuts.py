"""Cutting builds: the Friday developer build (cut and published by the scheduler) and
internal builds any day. A cut is idempotent: one build per Friday, whoever cuts it."""

import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext

from orangefriday.accounts.models import User
from orangefriday.board.models import Post, Product, Status
from orangefriday.core.calendar import (
    cut_instant,
    due_friday,
    internal_version,
    last_cut_friday,
    local_date,
    version_for,
    week_number,
)

from .models import Build, Change, Channel
from .notes import change_kind_for
from .permissions import require_manager
from .publishing import CHANGE_TEXT_MAX_LENGTH, publish_build

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Cut:
    """What a cut did: the build for the due day (new or already there), or None and why."""

    build: Build | None
    created: bool
    reason: str = ""


def _check_at(at: datetime) -> None:
    if at.tzinfo is None:
        raise ValueError("at must be timezone-aware")
    if at > timezone.now():
        raise ValidationError({"at": gettext("A build cannot be cut in the future.")})


def _shipped_posts_for(product: Product, *, until: datetime, channels: Collection[str]):
    """Posts marked shipped up to `until` that no build of `channels` carries since they were
    (last) shipped: a post shipped again after a reopen is carried again."""
    carried = Change.objects.filter(
        post=OuterRef("pk"),
        build__channel__in=list(channels),
        build__cut_at__gte=OuterRef("shipped_at"),
    )
    return (
        Post.objects.filter(product=product, status=Status.SHIPPED, shipped_at__lte=until)
        .exclude(Exists(carried))
        .exclude(announced_build__isnull=False)  # an announcement is never a change
        .select_related("author")
        .order_by("-votes_count", "shipped_at", "pk")
    )


def _add_changes(build: Build, posts) -> None:
    Change.objects.bulk_create(
        [
            Change(
                build=build,
                post=post,
                kind=change_kind_for(post.kind),
                text=post.title[:CHANGE_TEXT_MAX_LENGTH],
                proposer=post.author,
                voters_count=post.votes_count,
                position=position,
            )
            for position, post in enumerate(posts)
        ]
    )


def _holidays(product: Product) -> set[date]:
    # `all()` so that a prefetch (the scheduler's) is used.
    return {holiday.date for holiday in product.holidays.all()}


def cut_developer_build(*, product: Product, at: datetime) -> Cut:
    """Cut the weekly developer build that is due at `at`: the one of the most recent Friday
    whose 17:00 (product time) has come, skipping holidays.

    It holds every post of the product marked shipped up to that Friday 17:00 and not yet in
    a developer build, one change each (bug -> fixed, idea -> new, discussion -> improved;
    proposer = the post's author; voters = its votes at the cut). Idempotent: if that
    Friday's build exists, nothing is created (the unique version backs this when two cuts
    race). The build is a draft until `publish_build`.
    """
    _check_at(at)
    tz = product.time_zone
    holidays = _holidays(product)
    friday = due_friday(at, tz, holidays)
    latest = last_cut_friday(at, tz)
    skipped = f"{version_for(latest)} is a holiday; " if latest != friday else ""
    if friday is None:
        return Cut(None, False, "every Friday is a holiday")
    instant = cut_instant(friday, tz)
    if instant < product.created_at:
        return Cut(None, False, f"{skipped}no Friday 17:00 since {product.name} was created")
    version = version_for(friday)
    with transaction.atomic():
        existing = Build.objects.filter(
            product=product, channel=Channel.DEVELOPER, version=version
        ).first()
        if existing is not None:
            return Cut(existing, False, f"{skipped}{version} was already cut")
        builds = Build.objects.developer().filter(product=product)
        newest = builds.order_by("-version_date").first()
        if newest is not None and newest.version_date > friday:
            raise ValidationError(
                {"at": f"A later developer build ({newest.version}) exists; builds go forward."}
            )
        first = builds.order_by("version_date").first()
        try:
            with transaction.atomic():
                build = Build.objects.create(
                    product=product,
                    channel=Channel.DEVELOPER,
                    version=version,
                    version_date=friday,
                    cut_at=instant,
                    week_number=week_number(friday, first.version_date if first else friday),
                )
        except IntegrityError:
            # Another cut of the same Friday won the race; it holds the changes.
            existing = Build.objects.get(
                product=product, channel=Channel.DEVELOPER, version=version
            )
            return Cut(existing, False, f"{version} was already cut")
        _add_changes(
            build, _shipped_posts_for(product, until=instant, channels=[Channel.DEVELOPER])
        )
    logger.info("Cut %s developer build %s", product.slug, version)
    return Cut(build, True)


def cut_internal_build(*, product: Product, at: datetime, by: User | None = None) -> Build:
    """Cut an internal build now (any day): `YY.M.D-internal.N` of the product-local day.

    It holds the posts shipped up to `at` that no internal or developer build carries yet;
    the Friday developer build rolls them all up again.
    """
    require_manager(by, product)
    _check_at(at)
    day = local_date(at, product.time_zone)
    prefix = internal_version(day, 1).removesuffix("1")
    with transaction.atomic():
        # One internal cut of a product at a time: the next number and the posts not yet
        # carried are read and taken together.
        list(Product.objects.select_for_update().filter(pk=product.pk).values_list("pk"))
        taken = Build.objects.filter(
            product=product, channel=Channel.INTERNAL, version__startswith=prefix
        ).values_list("version", flat=True)
        number = max((int(v.removeprefix(prefix)) for v in taken), default=0) + 1
        build = Build.objects.create(
            product=product,
            channel=Channel.INTERNAL,
            version=internal_version(day, number),
            version_date=day,
            cut_at=at,
        )
        posts = _shipped_posts_for(
            product, until=at, channels=[Channel.INTERNAL, Channel.DEVELOPER]
        )
        _add_changes(build, posts)
    return build


def cut_and_publish_due_builds(*, now: datetime) -> list[Build]:
    """The Friday cut for every product: cut each due developer build and publish it at once
    (MIUI shipped at 17:00 sharp). A build that already exists is left alone, so a draft cut
    by hand stays a draft, and two schedulers running together publish each build once.
    Returns the builds published."""
    products = list(Product.objects.prefetch_related("holidays"))
    due = {}
    for product in products:
        try:
            friday = due_friday(now, product.time_zone, _holidays(product))
        except (ValueError, KeyError):  # a time zone zoneinfo does not know
            logger.exception("Cannot place %s's Friday in its time zone", product.slug)
            continue
        if friday is not None and cut_instant(friday, product.time_zone) >= product.created_at:
            due[product.pk] = version_for(friday)
    # One query to find which are already cut, instead of one per product every minute.
    existing = set(
        Build.objects.developer()
        .filter(product_id__in=due, version__in=set(due.values()))
        .values_list("product_id", "version")
    )
    published = []
    for product in products:
        if product.pk not in due or (product.pk, due[product.pk]) in existing:
            continue
        try:
            with transaction.atomic():
                cut = cut_developer_build(product=product, at=now)
                if cut.created and cut.build is not None:
                    published.append(publish_build(by=None, build=cut.build))
        except Exception:  # one product's failure must not stop the others' Friday
            logger.exception("The Friday cut failed for %s", product.slug)
    return published
