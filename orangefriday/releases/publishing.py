"""Publishing a build and editing its notes: the weekly announcement on the board, the
engineers' words above the generated notes, a line of the notes reworded."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from orangefriday.accounts.models import User
from orangefriday.board.actions import create_post
from orangefriday.board.models import Kind, Post, search_columns
from orangefriday.core.events import record
from orangefriday.core.text import render_markdown
from orangefriday.notifications.following import set_following

from .models import Build, Change, ChangeKind, Channel
from .notes import announcement_title
from .permissions import require_manager
from .queries import announcement_body

logger = logging.getLogger(__name__)

# The official account that posts the weekly announcements. A space is not allowed in a
# username at sign-up, so no fan can register this name and be mistaken for it.


SYSTEM_FAN_USERNAME = "Orange Friday"


INTRO_MAX_LENGTH = 5000


CHANGE_TEXT_MAX_LENGTH = 300


def system_fan() -> User:
    fan, created = User.objects.get_or_create(
        username=SYSTEM_FAN_USERNAME, defaults={"bio": "Posts the weekly release announcements."}
    )
    if created:
        fan.set_unusable_password()
        fan.save(update_fields=["password"])
    return fan


def publish_build(*, by: User | None, build: Build) -> Build:
    """Publish a build. For a developer build: post "Week N release announcement and
    changelog" on the product's board as the official account, and pin it (unpinning
    earlier announcements) unless a later build is already out. Records `build.published`,
    whose consumer then tells every voter and follower of its shipped posts, once each
    (releases.consumers); this transaction writes only the build, the announcement and the
    event. Publishing twice does nothing more."""
    require_manager(by, build.product)
    # A process's first reverse() imports the whole URLconf (1.5 to 2 s of CPU in the
    # bench): here, not in the transaction below, which holds the build's row lock.
    url = build.get_absolute_url()
    with transaction.atomic():
        locked = Build.objects.select_for_update().select_related("product").get(pk=build.pk)
        if locked.published_at is not None:
            return locked
        locked.published_at = timezone.now()
        locked.published_by = by
        if locked.channel == Channel.DEVELOPER:
            locked.announcement = _announce(locked)
        locked.save(update_fields=["published_at", "published_by", "announcement"])
        record(
            "build.published",
            subject=locked,
            actor=by,
            product_id=locked.product_id,
            channel=locked.channel,
            version=locked.version,
            url=url,
        )
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
    set_following(fan_id=official.pk, post_id=post.pk, following=False)
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
    require_manager(by, build.product)
    intro = intro.strip()
    if len(intro) > INTRO_MAX_LENGTH:
        raise ValidationError(
            {
                "intro": gettext("The intro has at most %(intro_max_length)s characters.")
                % {"intro_max_length": INTRO_MAX_LENGTH}
            }
        )
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
    require_manager(by, build.product)
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
