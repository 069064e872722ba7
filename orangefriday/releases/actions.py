"""Every write on builds: the Friday cut, internal builds, publishing, notes, stable rollout.

Actions that an engineer triggers take `by` and check that they are an engineer of the
product; `by=None` is the system itself (the Friday scheduler, `manage.py cut_release`).
Invalid input raises django ValidationError keyed by field.
"""

import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from orangefriday.accounts.models import User
from orangefriday.board.actions import create_post
from orangefriday.board.models import Kind, Post, Product, Status, search_columns
from orangefriday.core.calendar import (
    cut_instant,
    due_friday,
    internal_version,
    last_cut_friday,
    local_date,
    version_for,
    week_number,
)
from orangefriday.core.text import render_markdown
from orangefriday.notifications.actions import (
    notify_build_published,
    notify_engineers,
    set_following,
)
from orangefriday.notifications.models import NotificationKind

from .guard import halt_reason, trips_guard
from .models import Build, Change, ChangeKind, Channel, Installation, KnownIssue
from .notes import announcement_title, change_kind_for
from .queries import announcement_body, can_manage, guard_counts

logger = logging.getLogger(__name__)

# The official account that posts the weekly announcements. A space is not allowed in a
# username at sign-up, so no fan can register this name and be mistaken for it.
SYSTEM_FAN_USERNAME = "Orange Friday"
INTRO_MAX_LENGTH = 5000
CHANGE_TEXT_MAX_LENGTH = 300


@dataclass(frozen=True)
class Cut:
    """What a cut did: the build for the due day (new or already there), or None and why."""

    build: Build | None
    created: bool
    reason: str = ""


def system_fan() -> User:
    fan, created = User.objects.get_or_create(
        username=SYSTEM_FAN_USERNAME, defaults={"bio": "Posts the weekly release announcements."}
    )
    if created:
        fan.set_unusable_password()
        fan.save(update_fields=["password"])
    return fan


def _require_engineer(by: User | None, product: Product) -> None:
    if by is not None and not can_manage(by, product):
        raise PermissionDenied(f"Only engineers of {product.name} manage its builds.")


def _check_at(at: datetime) -> None:
    if at.tzinfo is None:
        raise ValueError("at must be timezone-aware")
    if at > timezone.now():
        raise ValidationError({"at": "A build cannot be cut in the future."})


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
    _require_engineer(by, product)
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


def publish_build(*, by: User | None, build: Build) -> Build:
    """Publish a build. For a developer build: post "Week N release announcement and
    changelog" on the product's board as the official account, pin it (unpinning earlier
    announcements) unless a later build is already out, and tell every voter and subscriber
    of its shipped posts. Publishing twice does nothing more."""
    _require_engineer(by, build.product)
    with transaction.atomic():
        locked = Build.objects.select_for_update().select_related("product").get(pk=build.pk)
        if locked.published_at is not None:
            return locked
        locked.published_at = timezone.now()
        locked.published_by = by
        if locked.channel == Channel.DEVELOPER:
            locked.announcement = _announce(locked)
        locked.save(update_fields=["published_at", "published_by", "announcement"])
        if locked.channel == Channel.DEVELOPER:
            notify_build_published(build=locked)
    logger.info("Published %s %s build %s", locked.product.slug, locked.channel, locked.version)
    return locked


def _announce(build: Build) -> Post:
    official = system_fan()
    post = create_post(
        author=official,
        product=build.product,
        kind=Kind.DISCUSSION,
        title=announcement_title(build.week_number, build.version),
        body=announcement_body(build),
        limited=False,
    )
    # The official account reads nobody's replies; the fans who comment follow it instead.
    set_following(fan=official, post=post, following=False)
    later_out = (
        Build.objects.developer()
        .published()
        .filter(product=build.product, version_date__gt=build.version_date)
        .exists()
    )
    if not later_out:
        Post.objects.filter(
            product=build.product, pinned=True, announced_build__isnull=False
        ).update(pinned=False)
        Post.objects.filter(pk=post.pk).update(pinned=True)
        post.pinned = True
    return post


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


def _rerender_announcement(build: Build) -> None:
    """After an edit, the announcement shows the new notes (sanitized like any post)."""
    if build.announcement_id is None:
        return
    post = Post.objects.get(pk=build.announcement_id)
    body = announcement_body(build)
    Post.objects.filter(pk=post.pk).update(
        body=body,
        body_html=render_markdown(body),
        **search_columns(post.title, body),
        updated_at=timezone.now(),
    )


def edit_notes(*, by: User | None, build: Build, intro: str) -> Build:
    """Set the engineers' words above the generated notes (Markdown), before or after
    publishing; a published announcement is re-rendered. `by=None` is the system (the
    Popcorn Award's line in the next week's notes)."""
    _require_engineer(by, build.product)
    intro = intro.strip()
    if len(intro) > INTRO_MAX_LENGTH:
        raise ValidationError({"intro": f"The intro has at most {INTRO_MAX_LENGTH} characters."})
    with transaction.atomic():
        locked = Build.objects.select_for_update().get(pk=build.pk)
        locked.notes_intro = intro
        locked.save(update_fields=["notes_intro"])
        _rerender_announcement(locked)
    build.notes_intro = intro
    return locked


def edit_change(
    *, by: User, change: Change, text: str | None = None, kind: str | None = None
) -> Change:
    """Reword a line of the notes or move it to another section."""
    build = change.build
    _require_engineer(by, build.product)
    errors = {}
    if text is not None:
        text = " ".join(text.split())
        if not text:
            errors["text"] = "Write the change's line."
        elif len(text) > CHANGE_TEXT_MAX_LENGTH:
            errors["text"] = f"A line has at most {CHANGE_TEXT_MAX_LENGTH} characters."
    if kind is not None and kind not in ChangeKind.values:
        errors["kind"] = f"Choose one of {', '.join(ChangeKind.values)}."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Build.objects.select_for_update().get(pk=build.pk)
        if text is not None:
            change.text = text
        if kind is not None:
            change.kind = kind
        change.save(update_fields=["text", "kind"])
        _rerender_announcement(locked)
    return change


def promote_to_stable(*, by: User | None, build: Build) -> Build:
    """Make a published developer build the next stable build: stable beta at 0%, then an
    engineer raises the rollout. Its notes gather every change since the previous stable
    build. Promoting the same build again returns the stable build made the first time."""
    _require_engineer(by, build.product)
    if build.channel != Channel.DEVELOPER:
        raise ValidationError({"build": "Only developer builds are promoted to stable."})
    if build.published_at is None:
        raise ValidationError({"build": "Publish the developer build before promoting it."})
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
        raise ValidationError({"build": "Only stable builds roll out in stages."})
    if locked.published_at is None:
        raise ValidationError({"build": "Publish the build first."})
    return locked


def set_rollout(*, by: User, build: Build, percent: int) -> Build:
    """Offer a stable build to `percent` of fans. A rollout only goes up (a phone cannot
    un-install an update); to stop it, halt it. 100 means everyone."""
    _require_engineer(by, build.product)
    if not 0 <= percent <= 100:
        raise ValidationError({"percent": "A percentage is between 0 and 100."})
    with transaction.atomic():
        locked = _locked_stable(build)
        if locked.rollout_halted:
            raise ValidationError({"percent": "The rollout is halted; resume it first."})
        if percent < locked.rollout_percent:
            raise ValidationError(
                {
                    "percent": f"The rollout is at {locked.rollout_percent}% and only goes up; "
                    "halt it to stop."
                }
            )
        locked.rollout_percent = percent
        locked.save(update_fields=["rollout_percent"])
    return locked


def halt_rollout(*, by: User, build: Build) -> Build:
    """Stop offering a stable build to more fans (those who have it keep it)."""
    _require_engineer(by, build.product)
    with transaction.atomic():
        locked = _locked_stable(build)
        if locked.rollout_percent >= 100:
            raise ValidationError({"build": "The build has reached everyone already."})
        _halt(locked, at=timezone.now(), reason="")
    return locked


def _halt(build: Build, *, at: datetime, reason: str) -> None:
    build.rollout_halted = True
    build.rollout_halted_at = at
    build.rollout_halt_reason = reason
    build.save(update_fields=["rollout_halted", "rollout_halted_at", "rollout_halt_reason"])


def resume_rollout(*, by: User, build: Build) -> Build:
    """Offer a halted stable build again, at the percentage where it stopped."""
    _require_engineer(by, build.product)
    with transaction.atomic():
        locked = _locked_stable(build)
        locked.rollout_halted = False
        locked.save(update_fields=["rollout_halted"])
    return locked


def declare_running(*, fan: User, build: Build) -> Installation:
    """Record that `fan` runs `build` (idempotent). Only published builds can be run."""
    if not build.is_published:
        raise ValidationError({"build": "This build is not published yet."})
    installation, _ = Installation.objects.get_or_create(fan=fan, build=build)
    return installation


def guard_rollout(*, build: Build, now: datetime) -> bool:
    """The rollout guard for one stable build: if its bug reports of the last 24 hours
    exceed the product's limit per 1,000 fans running it, halt its rollout, say why, and
    tell the product's engineers (in-app and by email). A build already halted is left
    alone, so two checks halt it and tell the engineers once. Returns whether it halted."""
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
        _halt(locked, at=now, reason=reason)
        title = f"{product.name} {locked.version} rollout halted at {locked.rollout_percent}%"
        url = locked.get_absolute_url()
        notify_engineers(
            product=product,
            kind=NotificationKind.HALTED,
            event_key=f"halt:{locked.pk}:{now.isoformat()}",
            message=f"{title}: {reason}",
            url=url,
            email_subject=title,
            email_body=f"{title}.\n\n{reason}\n\nResume it, or leave it halted, on the "
            f"build's page: {settings.SITE_URL}{url}\n",
        )
    logger.warning("Halted %s %s: %s", product.slug, locked.version, reason)
    return True


def guard_rollouts(*, now: datetime) -> list[Build]:
    """The rollout guard for every stable build rolling out (the scheduler runs it each
    minute); returns the builds it halted."""
    builds = Build.objects.rolling_out().select_related("product")
    return [build for build in builds if guard_rollout(build=build, now=now)]


def mark_known_issue(*, by: User, build: Build, post: Post) -> KnownIssue:
    """List a bug report of the build's product among the build's known issues; listing
    it twice keeps one."""
    _require_engineer(by, build.product)
    if post.kind != Kind.BUG:
        raise ValidationError({"post": "Only bug reports are listed as known issues."})
    if post.product_id != build.product_id:
        raise ValidationError({"post": f"That post is not on the {build.product.name} board."})
    issue, _ = KnownIssue.objects.get_or_create(build=build, post=post, defaults={"marked_by": by})
    return issue


def unmark_known_issue(*, by: User, build: Build, post: Post) -> None:
    """Take a bug report off the build's known issues (nothing happens if it was not on)."""
    _require_engineer(by, build.product)
    KnownIssue.objects.filter(build=build, post=post).delete()
