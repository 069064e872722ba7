"""Every write on the board. Each action validates its input, owns its transaction and either
writes everything or nothing; invalid input raises django ValidationError keyed by field."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from orangefriday.accounts.limits import check_fan_write
from orangefriday.accounts.models import User
from orangefriday.core.errors import Conflict
from orangefriday.core.events import record
from orangefriday.core.images import CleanImage, clean_image
from orangefriday.core.text import render_markdown, visible_line, visible_text
from orangefriday.notifications.following import subscribe
from orangefriday.ranking.scores import hot_score

from .logs import check_log, store_log
from .models import (
    BODY_MAX_LENGTH,
    IMAGE_ALT_MAX_LENGTH,
    Category,
    Comment,
    CommentRevision,
    Kind,
    Post,
    PostImage,
    PostRevision,
    Product,
    Status,
    StatusChange,
    Tag,
    Visibility,
    search_columns,
)
from .permissions import is_engineer_of, speaks_for
from .rules import check_post_rules, hold_reason

MAX_TAGS = 5
TAG_MAX_LENGTH = 40


def _tag_names(names: Iterable[str]) -> list[str]:
    cleaned: dict[str, str] = {}
    for name in names:
        name = visible_line(name, field="tags").lstrip("#")
        if not name:
            continue
        if len(name) > TAG_MAX_LENGTH:
            raise ValidationError(
                {
                    "tags": gettext("A tag has at most %(tag_max_length)s characters.")
                    % {"tag_max_length": TAG_MAX_LENGTH}
                }
            )
        cleaned.setdefault(name.lower(), name)
    if len(cleaned) > MAX_TAGS:
        raise ValidationError(
            {"tags": gettext("A post has at most %(max_tags)s tags.") % {"max_tags": MAX_TAGS}}
        )
    return list(cleaned.values())


def _tags_named(names: list[str]) -> list[Tag]:
    tags = []
    for name in names:
        tag = Tag.objects.filter(name__iexact=name).first()
        if tag is None:
            try:
                with transaction.atomic():
                    tag = Tag.objects.create(name=name)
            except IntegrityError:  # another fan created it a moment ago
                tag = Tag.objects.get(name__iexact=name)
        tags.append(tag)
    return tags


def create_post(
    *,
    author: User,
    product: Product,
    kind: str,
    title: str,
    body: str = "",
    category: Category | None = None,
    tags: Iterable[str] = (),
    build_version: str = "",
    found_in_build_id: int | None = None,
    device: str = "",
    log: UploadedFile | None = None,
    images: Sequence["ImageUpload"] = (),
    limited: bool = True,
) -> Post:
    """Post an idea, bug report or discussion on a product's board.

    A bug may name the published build of the product it was found in (its version then
    becomes `build_version`) and carry a log file; any post may carry images (up to
    settings.POST_IMAGES_MAX, each taken in by core.images.clean_image). Any of them is
    refused with a ValidationError on its field, and then nothing is written, not even a
    file. The author's limit for posts applies (RateLimited) unless `limited` is False:
    the system's own posts (the weekly announcement, the demo community), which are not
    held for review either (nor for their links or images).
    """
    title, body = visible_line(title, field="title"), visible_text(body, field="body")
    is_bug = kind == Kind.BUG
    post = Post(
        product=product,
        author=author,
        kind=kind,
        title=title,
        body=body,
        **search_columns(title, body),
        category=category,
        build_version=visible_line(build_version, field="build_version") if is_bug else "",
        device=visible_line(device, field="device") if is_bug else "",
    )
    _check_fields(post, category)
    _check_image_count(images, already=0)
    pictures = _clean_images(images)
    if limited and hold_reason(author=author, text=body, images=len(pictures)):
        post.visibility = Visibility.HELD
    if is_bug and found_in_build_id is not None:
        post.found_in_build = _published_build(product, found_in_build_id)
        post.build_version = post.found_in_build.version
    log_name = _log_name(post, log)
    tag_names = _tag_names(tags)
    post.body_html = render_markdown(post.body)
    post.created_at = post.updated_at = timezone.now()
    post.hot_score = hot_score(0, post.created_at)
    if limited:
        check_fan_write(fan=author, action="post")
    written: list[str] = []
    try:
        with transaction.atomic():
            post.save()
            post.tags.set(_tags_named(tag_names))
            subscribe(fan_id=author.pk, post_id=post.pk)
            if log is not None:
                store_log(post, log, log_name)
                post.save(update_fields=["log", "log_name", "log_size"])
            _store_images(post, pictures, first=1, written=written)
            record(
                "post.created",
                subject=post,
                actor=author,
                product_id=product.pk,
                kind=post.kind,
                title=post.title,
                url=post.get_absolute_url(),
                visibility=post.visibility,
            )
    except BaseException:
        post.log.delete(save=False)  # the row is gone: no file may stay behind
        _delete_files(written)
        raise
    return post


@dataclass(frozen=True)
class ImageUpload:
    """An image a fan sends with a post, with their description of it; `field` and
    `alt_field` name where an error about either is shown (the page's slot, the API's
    field)."""

    file: UploadedFile
    alt: str = ""
    field: str = "image"
    alt_field: str = "alt"


def _check_image_count(uploads: Sequence[ImageUpload], *, already: int) -> None:
    limit = settings.POST_IMAGES_MAX
    if uploads and already + len(uploads) > limit:
        message = ngettext(
            "A post carries at most %(limit)s image.",
            "A post carries at most %(limit)s images.",
            limit,
        ) % {"limit": limit}
        raise ValidationError({uploads[-1].field: message})


def _clean_images(uploads: Sequence[ImageUpload]) -> list[tuple[CleanImage, str]]:
    """Each upload re-encoded (core.images) with its cleaned description, or a
    ValidationError on its field."""
    cleaned = []
    for upload in uploads:
        alt = visible_line(upload.alt, field=upload.alt_field)
        if len(alt) > IMAGE_ALT_MAX_LENGTH:
            message = gettext("A description has at most %(limit)s characters.")
            raise ValidationError({upload.alt_field: message % {"limit": IMAGE_ALT_MAX_LENGTH}})
        side = settings.POST_IMAGE_MAX_SIDE
        cleaned.append((clean_image(upload.file, field=upload.field, max_side=side), alt))
    return cleaned


def _store_images(
    post: Post, pictures: list[tuple[CleanImage, str]], *, first: int, written: list[str]
) -> list[PostImage]:
    """Inside the caller's transaction: the files written (their names added to `written`,
    for the caller to remove if the transaction fails) and their rows."""
    stored = []
    for position, (picture, alt) in enumerate(pictures, start=first):
        image = PostImage(
            post=post, width=picture.width, height=picture.height, alt=alt, position=position
        )
        image.file.save(picture.file.name or "image.jpg", picture.file, save=False)
        written.append(image.file.name or "")
        image.save()
        stored.append(image)
    return stored


def _delete_files(names: list[str]) -> None:
    storage = PostImage._meta.get_field("file").storage  # type: ignore[union-attr]
    for name in names:
        storage.delete(name)


def attach_image(*, by: User, post: Post, image: ImageUpload, limited: bool = True) -> PostImage:
    """The author adds an image to their post (up to POST_IMAGES_MAX), taken in as
    `create_post` takes them; a new fan's post may then wait for review again (the hold
    rules), as after an edit. Neither that nor the limit for edits applies when `limited`
    is False (the demo community)."""
    _check_author(by, post, "post")
    _check_image_count([image], already=post.images.count())
    [picture] = _clean_images([image])
    if limited:
        check_fan_write(fan=by, action="edit", what="edits")
    written: list[str] = []
    try:
        with transaction.atomic():
            locked = Post.objects.select_for_update().get(pk=post.pk)
            # Counted again under the lock: two uploads at once may not both pass.
            count = locked.images.count()
            _check_image_count([image], already=count)
            last = locked.images.aggregate(last=Max("position"))["last"] or 0
            [stored] = _store_images(locked, [picture], first=last + 1, written=written)
            if (
                limited
                and locked.visibility == Visibility.VISIBLE
                and hold_reason(author=by, text=locked.body, images=count + 1)
            ):
                locked.visibility = Visibility.HELD
                locked.save(update_fields=["visibility"])
            record("post.edited", subject=locked, actor=by, image_id=stored.pk)
    except BaseException:
        _delete_files(written)
        raise
    return stored


def remove_image(*, by: User, image: PostImage) -> None:
    """The author takes an image off their post; its file leaves the disk once the
    deletion commits (board.apps)."""
    _check_author(by, image.post, "post")
    with transaction.atomic():
        position = image.position
        image.delete()
        # The later images move up: "Image 3 of the post" stays the third one shown.
        image.post.images.filter(position__gt=position).update(position=F("position") - 1)
        record("post.edited", subject=image.post, actor=by, removed_image=position)


def _check_fields(post: Post, category: Category | None) -> None:
    """The checks a post's own fields pass, when it is written and when it is edited."""
    post.full_clean(exclude=["author", "product", "found_in_build", "log"])
    if category is not None and category.product_id != post.product_id:
        raise ValidationError({"category": gettext("That category belongs to another product.")})


def _published_build(product: Product, build_id: int):  # -> releases.Build
    # `product.builds` is releases' side of the string-named foreign key; no import needed.
    build = product.builds.for_everyone().filter(pk=build_id).first()
    if build is None:
        raise ValidationError(
            {
                "found_in_build": gettext("Choose one of the published builds of %(product)s.")
                % {"product": product.local_name}
            }
        )
    return build


def _log_name(post: Post, log: UploadedFile | None) -> str:
    if log is None:
        return ""
    if post.kind != Kind.BUG:
        raise ValidationError({"log": gettext("Only bug reports carry a log.")})
    return check_log(log)


def attach_log(*, by: User, post: Post, log: UploadedFile) -> Post:
    """The reporter attaches a log to their bug report, replacing any earlier one (whose
    file is removed once the new one is in)."""
    if by.pk != post.author_id:
        raise PermissionDenied("Only the fan who reported the bug attaches its log.")
    name = _log_name(post, log)
    storage = post.log.storage
    new = ""
    try:
        with transaction.atomic():
            locked = Post.objects.select_for_update().get(pk=post.pk)
            old = locked.log.name
            store_log(locked, log, name)
            new = locked.log.name
            locked.save(update_fields=["log", "log_name", "log_size"])
            if old:
                transaction.on_commit(partial(storage.delete, old))
    except BaseException:
        if new:
            storage.delete(new)  # the row still names the old file
        raise
    post.log, post.log_name, post.log_size = locked.log, locked.log_name, locked.log_size
    return post


def _comment_body(body: str) -> str:
    """A comment's text as kept, or the error a fan reads (writing one and editing it)."""
    body = visible_text(body, field="body")
    if not body:
        raise ValidationError({"body": gettext("Write something first.")})
    if len(body) > BODY_MAX_LENGTH:
        raise ValidationError(
            {
                "body": gettext("A comment has at most %(body_max_length)s characters.")
                % {"body_max_length": BODY_MAX_LENGTH}
            }
        )
    return body


def add_comment(
    *, author: User, post: Post, body: str, parent: Comment | None = None, limited: bool = True
) -> Comment:
    """Comment on a post; engineers of the post's product get the official badge. The
    author's limit for comments applies unless `limited` is False (the demo community)."""
    body = _comment_body(body)
    if not post.is_visible:
        raise Conflict(
            {"body": gettext("This post is not shown on the board; it takes no comments.")}
        )
    if parent is not None:
        if parent.post_id != post.pk:
            raise ValidationError({"parent": gettext("That comment belongs to another post.")})
        # Threads stay one level deep: a reply to a reply joins the same thread.
        parent = parent.parent or parent
    official = speaks_for(author, post.product)
    if limited:
        check_fan_write(fan=author, action="comment")
    with transaction.atomic():
        comment = Comment.objects.create(
            post=post,
            author=author,
            parent=parent,
            body=body,
            body_html=render_markdown(body),
            official=official,
        )
        Post.objects.filter(pk=post.pk).update(comments_count=F("comments_count") + 1)
        subscribe(fan_id=author.pk, post_id=post.pk)
        record(
            "comment.added",
            subject=comment,
            actor=author,
            post_id=post.pk,
            parent_id=comment.parent_id,
            official=official,
            url=f"{post.get_absolute_url()}#comment-{comment.pk}",
        )
    return comment


def change_status(*, by: User | None, post: Post, status: str, note: str = "") -> StatusChange:
    """Move a post along its workflow, with an optional public note (the official response).

    Only engineers of the post's product may, and the system itself (`by=None`: a later
    app's rule, such as a shipped post reopened by its voters' answers); `duplicate` is
    reached by merging instead. The same status with a note records an official response
    without a change. Records `post.status_changed`; its consumer tells the followers
    (board.consumers).
    """
    if by is not None and not is_engineer_of(by, post.product):
        raise PermissionDenied(
            gettext("Only engineers of %(product)s change a post's status.")
            % {"product": post.product.local_name}
        )
    note = visible_text(note, field="note")
    if status not in Status.values:
        raise ValidationError(
            {"status": gettext("Unknown status “%(status)s”.") % {"status": status}}
        )
    if Status.DUPLICATE in (status, post.status) and status != post.status:
        raise ValidationError(
            {"status": gettext("Duplicates are made (and only made) by merging.")}
        )
    if status == post.status and not note:
        raise ValidationError(
            {"note": gettext("The status is already that; add a note to respond.")}
        )
    if len(note) > BODY_MAX_LENGTH:
        raise ValidationError(
            {
                "note": gettext("A note has at most %(body_max_length)s characters.")
                % {"body_max_length": BODY_MAX_LENGTH}
            }
        )
    if status != post.status:
        check_post_rules(by=by, post=post, change=f"status:{status}")
    now = timezone.now()
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        change = StatusChange.objects.create(
            post=locked,
            by=by,
            from_status=locked.status,
            to_status=status,
            note=note,
            note_html=render_markdown(note),
            created_at=now,
        )
        if status != locked.status:
            locked.status = status
            locked.shipped_at = now if status == Status.SHIPPED else None
        locked.updated_at = now
        locked.save(update_fields=["status", "shipped_at", "updated_at"])
        record(
            "post.status_changed",
            subject=locked,
            actor=by,
            change_id=change.pk,
            product_id=locked.product_id,
            title=locked.title,
            url=locked.get_absolute_url(),
            from_status=change.from_status,
            to_status=change.to_status,
            note=note,
        )
    post.status, post.shipped_at = locked.status, locked.shipped_at
    return change


GONE = (Visibility.DELETED, Visibility.REMOVED)


def _check_author(by: User, item: Post | Comment, what: str) -> None:
    if by.pk != item.author_id:
        raise PermissionDenied(
            gettext("Only the fan who wrote this %(what)s changes it.") % {"what": what}
        )
    if item.visibility in GONE:
        raise Conflict({"body": gettext("This %(what)s was deleted.") % {"what": what}})


def edit_post(
    *,
    by: User,
    post: Post,
    kind: str,
    title: str,
    body: str = "",
    category: Category | None = None,
    tags: Iterable[str] = (),
) -> Post:
    """The author edits their post's kind, title, body, category and tags. The version
    before the edit is kept (a PostRevision: who, when, the previous text) and the post
    shows "edited" with its history. A new fan's edit that adds links may wait for review
    again (the hold rules). The author's limit for edits applies (RateLimited)."""
    _check_author(by, post, gettext("post"))
    title, body = visible_line(title, field="title"), visible_text(body, field="body")
    candidate = Post(
        product_id=post.product_id, author=by, kind=kind, title=title, body=body, category=category
    )
    _check_fields(candidate, category)
    tag_names = _tag_names(tags)
    check_fan_write(fan=by, action="edit", what=gettext("edits"))
    now = timezone.now()
    with transaction.atomic():
        locked = (
            Post.objects.select_for_update(of=("self",)).select_related("category").get(pk=post.pk)
        )
        revision = PostRevision.objects.create(
            post=locked,
            by=by,
            created_at=now,
            kind=locked.kind,
            title=locked.title,
            body=locked.body,
            category_name=locked.category.name if locked.category else "",
            tag_names=", ".join(locked.tags.values_list("name", flat=True)),
        )
        locked.kind, locked.title, locked.body, locked.category = kind, title, body, category
        locked.body_html = render_markdown(body)
        columns = search_columns(title, body)
        locked.search_title, locked.search_body = columns["search_title"], columns["search_body"]
        locked.edited_at = locked.updated_at = now
        if locked.visibility == Visibility.VISIBLE and hold_reason(author=by, text=body):
            locked.visibility = Visibility.HELD
        locked.save()
        locked.tags.set(_tags_named(tag_names))
        record("post.edited", subject=locked, actor=by, revision_id=revision.pk)
    return locked


def edit_comment(*, by: User, comment: Comment, body: str) -> Comment:
    """The author edits their comment (an engineer their official response); the previous
    text is kept as a CommentRevision."""
    _check_author(by, comment, gettext("comment"))
    body = _comment_body(body)
    check_fan_write(fan=by, action="edit", what=gettext("edits"))
    now = timezone.now()
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        revision = CommentRevision.objects.create(
            comment=locked, by=by, created_at=now, body=locked.body
        )
        locked.body, locked.body_html, locked.edited_at = body, render_markdown(body), now
        locked.save(update_fields=["body", "body_html", "edited_at"])
        record(
            "comment.edited",
            subject=locked,
            actor=by,
            post_id=locked.post_id,
            revision_id=revision.pk,
        )
    return locked


def set_post_visibility(post_id: int, visibility: str, reason: str = "") -> tuple[Post, str]:
    """Inside the caller's transaction: lock the post and set who sees it; returns the
    post and its visibility before. For board's and moderation's actions, which check the
    permission and record the event."""
    post = Post.objects.select_for_update().select_related("product").get(pk=post_id)
    before = post.visibility
    post.visibility, post.visibility_reason = visibility, reason
    post.updated_at = timezone.now()
    post.save(update_fields=["visibility", "visibility_reason", "updated_at"])
    return post, before


def set_post_featured(post_id: int, featured: bool) -> tuple[Post, bool]:
    """Inside the caller's transaction: lock the post and feature it (now) or not; returns
    the post and whether it was featured before. For moderation's action, which checks the
    permission and records the event."""
    post = Post.objects.select_for_update().select_related("product").get(pk=post_id)
    before = post.featured_at is not None
    if before != featured:
        post.featured_at = timezone.now() if featured else None
        post.save(update_fields=["featured_at"])
    return post, before


def set_comment_visibility(
    comment_id: int, visibility: str, reason: str = ""
) -> tuple[Comment, str]:
    """`set_post_visibility` for a comment; the post's comments_count counts only visible
    comments, and is kept exact here."""
    comment = Comment.objects.select_for_update().select_related("post").get(pk=comment_id)
    before = comment.visibility
    shown_before, shown_after = before == Visibility.VISIBLE, visibility == Visibility.VISIBLE
    if shown_before != shown_after:
        Post.objects.select_for_update().filter(pk=comment.post_id).update(
            comments_count=F("comments_count") + (1 if shown_after else -1)
        )
    comment.visibility, comment.visibility_reason = visibility, reason
    comment.save(update_fields=["visibility", "visibility_reason"])
    return comment, before


def delete_post(*, by: User, post: Post) -> Post:
    """The author deletes their post: a tombstone ("deleted by its author") stays at its
    link, it leaves every list, and its votes no longer show anywhere."""
    _check_author(by, post, gettext("post"))
    with transaction.atomic():
        locked, _ = set_post_visibility(post.pk, Visibility.DELETED)
        record(
            "content.deleted",
            subject=locked,
            actor=by,
            author_id=locked.author_id,
            reason="",
            by="author",
        )
    return locked


def delete_comment(*, by: User, comment: Comment) -> Comment:
    """The author deletes their comment: a tombstone keeps its place in the thread, so
    replies stay readable; the post's comment count drops."""
    _check_author(by, comment, gettext("comment"))
    with transaction.atomic():
        locked, _ = set_comment_visibility(comment.pk, Visibility.DELETED)
        record(
            "content.deleted",
            subject=locked,
            actor=by,
            author_id=locked.author_id,
            post_id=locked.post_id,
            reason="",
            by="author",
        )
    return locked
