"""Every write on the board. Each action validates its input, owns its transaction and either
writes everything or nothing; invalid input raises django ValidationError keyed by field."""

from collections.abc import Iterable
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from orangefriday.accounts.limits import check_fan_write
from orangefriday.accounts.models import User
from orangefriday.core.events import record
from orangefriday.core.text import render_markdown, visible_line, visible_text
from orangefriday.notifications.following import subscribe
from orangefriday.ranking.scores import hot_score

from .logs import check_log, store_log
from .models import (
    BODY_MAX_LENGTH,
    Category,
    Comment,
    Kind,
    Post,
    Product,
    Status,
    StatusChange,
    Tag,
    search_columns,
)
from .permissions import is_engineer_of, speaks_for
from .rules import check_post_rules

MAX_TAGS = 5
TAG_MAX_LENGTH = 40


def _tag_names(names: Iterable[str]) -> list[str]:
    cleaned: dict[str, str] = {}
    for name in names:
        name = visible_line(name, field="tags").lstrip("#")
        if not name:
            continue
        if len(name) > TAG_MAX_LENGTH:
            raise ValidationError({"tags": f"A tag has at most {TAG_MAX_LENGTH} characters."})
        cleaned.setdefault(name.lower(), name)
    if len(cleaned) > MAX_TAGS:
        raise ValidationError({"tags": f"A post has at most {MAX_TAGS} tags."})
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
    limited: bool = True,
) -> Post:
    """Post an idea, bug report or discussion on a product's board.

    A bug may name the published build of the product it was found in (its version then
    becomes `build_version`) and carry a log file; either is refused with a ValidationError
    on its field, and then nothing is written, not even the file. The author's limit for
    posts applies (RateLimited) unless `limited` is False: the system's own posts (the
    weekly announcement, the demo community).
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
    post.full_clean(exclude=["author", "product", "found_in_build", "log"])
    if category is not None and category.product_id != product.pk:
        raise ValidationError({"category": "That category belongs to another product."})
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
    try:
        with transaction.atomic():
            post.save()
            post.tags.set(_tags_named(tag_names))
            subscribe(fan_id=author.pk, post_id=post.pk)
            if log is not None:
                store_log(post, log, log_name)
                post.save(update_fields=["log", "log_name", "log_size"])
            record(
                "post.created",
                subject=post,
                actor=author,
                product_id=product.pk,
                kind=post.kind,
                title=post.title,
                url=post.get_absolute_url(),
            )
    except BaseException:
        post.log.delete(save=False)  # the row is gone: no file may stay behind
        raise
    return post


def _published_build(product: Product, build_id: int):  # -> releases.Build
    # `product.builds` is releases' side of the string-named foreign key; no import needed.
    build = product.builds.published().filter(pk=build_id).first()
    if build is None:
        raise ValidationError(
            {"found_in_build": f"Choose one of the published builds of {product.name}."}
        )
    return build


def _log_name(post: Post, log: UploadedFile | None) -> str:
    if log is None:
        return ""
    if post.kind != Kind.BUG:
        raise ValidationError({"log": "Only bug reports carry a log."})
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


def add_comment(
    *, author: User, post: Post, body: str, parent: Comment | None = None, limited: bool = True
) -> Comment:
    """Comment on a post; engineers of the post's product get the official badge. The
    author's limit for comments applies unless `limited` is False (the demo community)."""
    body = visible_text(body, field="body")
    if not body:
        raise ValidationError({"body": "Write something first."})
    if len(body) > BODY_MAX_LENGTH:
        raise ValidationError({"body": f"A comment has at most {BODY_MAX_LENGTH} characters."})
    if parent is not None:
        if parent.post_id != post.pk:
            raise ValidationError({"parent": "That comment belongs to another post."})
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


def change_status(*, by: User, post: Post, status: str, note: str = "") -> StatusChange:
    """Move a post along its workflow, with an optional public note (the official response).

    Only engineers of the post's product may; `duplicate` is reached by merging instead.
    The same status with a note records an official response without a change.
    Records `post.status_changed`; its consumer tells the followers (board.consumers).
    """
    if not is_engineer_of(by, post.product):
        raise PermissionDenied(f"Only engineers of {post.product.name} change a post's status.")
    note = visible_text(note, field="note")
    if status not in Status.values:
        raise ValidationError({"status": f"Unknown status {status!r}."})
    if Status.DUPLICATE in (status, post.status) and status != post.status:
        raise ValidationError({"status": "Duplicates are made (and only made) by merging."})
    if status == post.status and not note:
        raise ValidationError({"note": "The status is already that; add a note to respond."})
    if len(note) > BODY_MAX_LENGTH:
        raise ValidationError({"note": f"A note has at most {BODY_MAX_LENGTH} characters."})
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
