"""Stable builds: promotion from a developer build, the staged rollout an engineer
raises, halts and resumes, and the rollout guard that halts it by itself."""

import logging
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from orangefriday.accounts.models import User
from orangefriday.core.events import record

from .guard import halt_reason, trips_guard
from .models import Build, Change, Channel
from .permissions import require_manager
from .queries import guard_counts

logger = logging.getLogger(__name__)


def promote_to_stable(*, by: User | None, build: Build) -> Build:
    """Make a published developer build the next stable build: stable beta at 0%, then an
    engineer raises the rollout. Its notes gather every change since the previous stable
    build. Promoting the same build again returns the stable build made the first time."""
    require_manager(by, build.product)
    if build.channel != Channel.DEVELOPER:
        raise ValidationError({"build": gettext("Only developer builds are promoted to stable.")})
    if build.published_at is None:
        raise ValidationError(
            {"build": gettext("Publish the developer build before promoting it.")}
        )
    with transaction.atomic():
        stable_builds = Build.objects.filter(product=build.product, channel=Channel.STABLE)
        existing = stable_builds.filter(version=build.version).first()
        if existing is not None:
            return existing
        previous = stable_builds.order_by("-version_date").first()
        if previous is not None and previous.version_date > build.version_date:
            raise ValidationError(
                {"build": f"A later stable build ({previous.version}) exists already."}
            )
        now = timezone.now()
        try:
            with transaction.atomic():
                stable = Build.objects.create(
                    product=build.product,
                    channel=Channel.STABLE,
                    version=build.version,
                    version_date=build.version_date,
                    cut_at=now,
                    published_at=now,
                    published_by=by,
                    promoted_from=build,
                    notes_intro=build.notes_intro,
                )
        except IntegrityError:
            return stable_builds.get(version=build.version)
        since = previous.version_date if previous is not None else date.min
        _gather_changes(stable, build, since)
        record(
            "build.promoted",
            subject=stable,
            actor=by,
            product_id=stable.product_id,
            version=stable.version,
            promoted_from=build.pk,
            url=stable.get_absolute_url(),
        )
    return stable


def _gather_changes(stable: Build, upto: Build, since: date) -> None:
    changes = (
        Change.objects.filter(
            build__product=upto.product,
            build__channel=Channel.DEVELOPER,
            build__version_date__gt=since,
            build__version_date__lte=upto.version_date,
        )
        .select_related("build")
        .order_by("build__version_date", "position", "pk")
    )
    seen: set[int] = set()
    rows: list[Change] = []
    for change in changes:
        if change.post_id is not None:
            if change.post_id in seen:
                continue
            seen.add(change.post_id)
        rows.append(
            Change(
                build=stable,
                post_id=change.post_id,
                kind=change.kind,
                text=change.text,
                proposer_id=change.proposer_id,
                voters_count=change.voters_count,
                position=len(rows),
            )
        )
    Change.objects.bulk_create(rows)


def _locked_stable(build: Build) -> Build:
    locked = Build.objects.select_for_update().get(pk=build.pk)
    if locked.channel != Channel.STABLE:
        raise ValidationError({"build": gettext("Only stable builds roll out in stages.")})
    if locked.published_at is None:
        raise ValidationError({"build": gettext("Publish the build first.")})
    return locked


def set_rollout(*, by: User, build: Build, percent: int) -> Build:
    """Offer a stable build to `percent` of fans. A rollout only goes up (a phone cannot
    un-install an update); to stop it, halt it. 100 means everyone."""
    require_manager(by, build.product)
    if not 0 <= percent <= 100:
        raise ValidationError({"percent": gettext("A percentage is between 0 and 100.")})
    with transaction.atomic():
        locked = _locked_stable(build)
        if locked.rollout_halted:
            raise ValidationError({"percent": gettext("The rollout is halted; resume it first.")})
        if percent < locked.rollout_percent:
            raise ValidationError(
                {
                    "percent": f"The rollout is at {locked.rollout_percent}% and only goes up; "
                    "halt it to stop."
                }
            )
        previous = locked.rollout_percent
        locked.rollout_percent = percent
        locked.save(update_fields=["rollout_percent"])
        if percent != previous:
            record(
                "rollout.changed",
                subject=locked,
                actor=by,
                version=locked.version,
                from_percent=previous,
                percent=percent,
            )
    return locked


def halt_rollout(*, by: User, build: Build) -> Build:
    """Stop offering a stable build to more fans (those who have it keep it)."""
    require_manager(by, build.product)
    with transaction.atomic():
        locked = _locked_stable(build)
        if locked.rollout_percent >= 100:
            raise ValidationError({"build": gettext("The build has reached everyone already.")})
        _halt(locked, by=by, at=timezone.now(), reason="")
    return locked


def _halt(build: Build, *, by: User | None, at: datetime, reason: str) -> None:
    build.rollout_halted = True
    build.rollout_halted_at = at
    build.rollout_halt_reason = reason
    build.save(update_fields=["rollout_halted", "rollout_halted_at", "rollout_halt_reason"])
    record(
        "rollout.halted",
        subject=build,
        actor=by,
        product_id=build.product_id,
        version=build.version,
        percent=build.rollout_percent,
        reason=reason,
        at=at,
        url=build.get_absolute_url(),
    )


def resume_rollout(*, by: User, build: Build) -> Build:
    """Offer a halted stable build again, at the percentage where it stopped."""
    require_manager(by, build.product)
    with transaction.atomic():
        locked = _locked_stable(build)
        locked.rollout_halted = False
        locked.save(update_fields=["rollout_halted"])
        record("rollout.resumed", subject=locked, actor=by, percent=locked.rollout_percent)
    return locked


def guard_rollout(*, build: Build, now: datetime) -> bool:
    """The rollout guard for one stable build: if its bug reports of the last 24 hours
    exceed the product's limit per 1,000 fans running it, halt its rollout, say why, and
    tell the product's engineers (in-app and by email). A build already halted is left
    alone, so two checks halt it and tell the engineers once (`rollout.halted`, consumed by
    releases.consumers). Returns whether it halted."""
    product = build.product
    reports, fans_running = guard_counts(build, now=now)
    limit = product.rollout_guard_per_1000
    if not trips_guard(reports=reports, fans_running=fans_running, per_1000=limit):
        return False
    with transaction.atomic():
        locked = Build.objects.rolling_out().select_for_update().filter(pk=build.pk).first()
        if locked is None or locked.rollout_halted_at != build.rollout_halted_at:
            return False  # halted, resumed or finished meanwhile: the counts are stale
        reason = halt_reason(reports=reports, fans_running=fans_running, per_1000=limit)
        _halt(locked, by=None, at=now, reason=reason)
    logger.warning("Halted %s %s: %s", product.slug, locked.version, reason)
    return True


def guard_rollouts(*, now: datetime) -> list[Build]:
    """The rollout guard for every stable build rolling out (the scheduler runs it each
    minute); returns the builds it halted."""
    builds = Build.objects.rolling_out().select_related("product")
    return [build for build in builds if guard_rollout(build=build, now=now)]
