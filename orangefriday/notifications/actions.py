"""Following posts and telling fans what happened to them.

Other apps call these functions inside their own transactions: the in-app notifications,
the outbox emails and the task that sends them are written with the event, so they exist
if and only if the event does.

Email opt-out: one switch per fan (`EmailPreference.updates`), turned off by the link at the
bottom of every email (no login needed) and back on from the notifications page. It stops
every email about followed posts (status changes, official responses, shipped builds);
in-app notifications keep coming, and following itself is untouched.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import TypeVar

from django.apps import apps
from django.conf import settings
from django.core import signing
from django.db import connection, transaction
from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils import timezone

from orangefriday.accounts.models import User
from orangefriday.board.models import Post, Product
from orangefriday.releases.models import Build

from .models import EmailPreference, Notification, NotificationKind, OutboxEmail, Subscription

# Rows written per INSERT; also how many fans are held in memory at once.
BATCH_SIZE = 2000
UNSUBSCRIBE_SALT = "orangefriday.notifications.unsubscribe"
# A big event (a build with a million fans) is sent by several workers at once, if there are.
EMAILS_PER_SENDER = 5000
MAX_SENDERS = 8

T = TypeVar("T")


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


# Following ------------------------------------------------------------------------------


def subscribe(*, fan: User, post: Post) -> None:
    """Follow a post because the fan posted, voted or commented on it. An earlier explicit
    unsubscribe is respected."""
    # One plain statement: every vote runs this.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Subscription._meta.db_table} (fan_id, post_id, active, created_at)"
            " VALUES (%s, %s, %s, %s) ON CONFLICT (fan_id, post_id) DO NOTHING",
            [fan.pk, post.pk, True, connection.ops.adapt_datetimefield_value(timezone.now())],
        )


def set_following(*, fan: User, post: Post, following: bool) -> None:
    """The fan's explicit choice to follow a post or not."""
    subscription, created = Subscription.objects.get_or_create(
        fan=fan, post=post, defaults={"active": following}
    )
    if not created and subscription.active != following:
        subscription.active = following
        if following:
            subscription.created_at = timezone.now()
        subscription.save(update_fields=["active", "created_at"])


def followers(post: Post) -> QuerySet[User]:
    return User.objects.filter(subscriptions__post=post, subscriptions__active=True, is_active=True)


# In-app notifications -------------------------------------------------------------------


def mark_read(*, fan: User, notification_id: int) -> Notification:
    """Mark one of the fan's notifications read; another fan's is Notification.DoesNotExist."""
    notification = Notification.objects.get(pk=notification_id, fan=fan)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def mark_all_read(*, fan: User) -> int:
    """Mark every unread notification of the fan read; returns how many were unread."""
    return Notification.objects.filter(fan=fan, read_at__isnull=True).update(read_at=timezone.now())


# Email opt-out --------------------------------------------------------------------------


def unsubscribe_token(fan_id: int) -> str:
    """The signed token of a fan's unsubscribe link. It does not expire: an old email's link
    must keep working. The salt keeps it from being valid as any other signed value."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(fan_id))


def fan_id_from_unsubscribe_token(token: str) -> int | None:
    try:
        return int(signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None


def unsubscribe_url(fan_id: int) -> str:
    return _unsubscribe_links()(fan_id)


def _unsubscribe_links() -> Callable[[int], str]:
    """A function from fan id to unsubscribe link, for many fans at once: one URL reversal
    and one signer, then only an HMAC per fan."""
    signer = signing.Signer(salt=UNSUBSCRIBE_SALT)
    marker = "0:TOKEN"
    template = settings.SITE_URL + reverse("notifications:unsubscribe", args=[marker])
    head, tail = template.split(marker)
    return lambda fan_id: head + signer.sign(str(fan_id)) + tail


def wants_update_emails(fan: User) -> bool:
    return not EmailPreference.objects.filter(fan=fan, updates=False).exists()


def set_update_emails(*, fan_id: int, on: bool) -> None:
    """Turn a fan's emails about followed posts on or off. Turning them off also drops the
    ones still waiting in the outbox, so that nothing arrives after the click. (A link of a
    fan who deleted their account changes nothing: there is nobody left to email.)"""
    if not User.objects.filter(pk=fan_id).exists():
        return
    with transaction.atomic():
        EmailPreference.objects.update_or_create(
            fan_id=fan_id, defaults={"updates": on, "changed_at": timezone.now()}
        )
        if not on:
            OutboxEmail.objects.filter(fan_id=fan_id, sent_at__isnull=True).delete()


# Emails ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Email:
    key: str  # names the email, so that it is queued once however often its event replays
    fan_id: int
    subject: str
    body: str


def _footer(link: str) -> str:
    return (
        "\n-- \nYou get this email because you follow these posts on Orange Friday.\n"
        f"Stop these emails (one click, no login needed): {link}\n"
    )


def queue_emails(emails: Iterable[Email]) -> int:
    """Write emails to the outbox, once per key, skipping fans who turned these emails off,
    and have them sent. Each carries the fan's unsubscribe link. Returns how many rows
    were offered to the outbox (a replayed key is offered but not written twice)."""
    offered = sum(_write_outbox(chunk) for chunk in _chunks(emails, BATCH_SIZE))
    if offered:
        schedule_delivery(senders=1 + offered // EMAILS_PER_SENDER)
    return offered


def _write_outbox(emails: list[Email]) -> int:
    opted_out = set(
        EmailPreference.objects.filter(
            fan_id__in={email.fan_id for email in emails}, updates=False
        ).values_list("fan_id", flat=True)
    )
    return _insert_outbox([email for email in emails if email.fan_id not in opted_out])


_OUTBOX_COLUMNS = (
    "key",
    "fan_id",
    "subject",
    "body",
    "unsubscribe_url",
    "created_at",
    "attempts",
    "claimed_by",
    "last_error",
)


def _insert_outbox(emails: list[Email]) -> int:
    """INSERT the emails with their footers, skipping keys already there; the ORM's
    bulk_create costs more in Python than the database spends on a million rows."""
    if not emails:
        return 0
    link = _unsubscribe_links()
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = []
    for email in emails:
        url = link(email.fan_id)
        rows.append((email.key, email.fan_id, email.subject[:200], email.body + _footer(url), url))
    quote = connection.ops.quote_name
    table = quote(OutboxEmail._meta.db_table)
    columns = ", ".join(quote(column) for column in _OUTBOX_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY the batch into a session's scratch table (psycopg writes COPY rows in C;
            # quoting the same rows into array literals cost more Python time than the
            # database spent), then one INSERT ... SELECT that skips the keys already there.
            # One transaction, even when called outside one: the table empties at commit.
            with transaction.atomic(savepoint=False):
                cursor.execute(
                    "CREATE TEMPORARY TABLE IF NOT EXISTS outbox_batch (key text,"
                    " fan_id bigint, subject text, body text, unsubscribe_url text)"
                    " ON COMMIT DELETE ROWS"
                )
                with cursor.copy("COPY outbox_batch FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                # Taken out of the scratch table and into the outbox in one statement.
                cursor.execute(
                    "WITH batch AS (DELETE FROM outbox_batch RETURNING *)"
                    f" INSERT INTO {table} ({columns})"
                    " SELECT *, %s::timestamptz, 0, '', '' FROM batch"
                    " ON CONFLICT DO NOTHING",
                    [now],
                )
        else:
            values = ", ".join(["%s"] * len(_OUTBOX_COLUMNS))
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({values}) ON CONFLICT DO NOTHING",
                [(*row, now, 0, "", "") for row in rows],
            )
    return len(rows)


def schedule_delivery(*, senders: int = 1) -> None:
    """Have the outbox sent by up to `senders` workers side by side."""
    from .tasks import start_delivery

    start_delivery(senders=min(senders, MAX_SENDERS))


# Events ---------------------------------------------------------------------------------


def notify_followers(
    *,
    post: Post,
    kind: NotificationKind,
    event_key: str,
    message: str,
    email_subject: str,
    email_body: str,
    exclude: Iterable[int] = (),
) -> int:
    """Tell every follower of `post` (but `exclude`d fan ids) in-app and by email.

    `event_key` names the event (e.g. "status:42"), so each follower gets each event's
    email once even if this runs twice. Returns how many fans were told.
    """
    skip = set(exclude)
    url = post.get_absolute_url()
    rows = followers(post).order_by("pk").values_list("pk", "email")
    told = emailed = 0
    with transaction.atomic():
        for chunk in _chunks(rows.iterator(chunk_size=BATCH_SIZE), BATCH_SIZE):
            fans = [(fan_id, email) for fan_id, email in chunk if fan_id not in skip]
            Notification.objects.bulk_create(
                Notification(fan_id=fan_id, kind=kind, post=post, message=message, url=url)
                for fan_id, _ in fans
            )
            emailed += _write_outbox(
                [
                    Email(f"{event_key}:fan:{fan_id}", fan_id, email_subject, email_body)
                    for fan_id, email in fans
                    if email
                ]
            )
            told += len(fans)
        if emailed:
            schedule_delivery(senders=1 + emailed // EMAILS_PER_SENDER)
    return told


def notify_engineers(
    *,
    product: Product,
    kind: NotificationKind,
    event_key: str,
    message: str,
    url: str,
    email_subject: str,
    email_body: str,
) -> int:
    """Tell the product's engineers about an event in-app and by email, once per
    `event_key` for the emails; call it once per event, inside its transaction.
    Returns how many engineers were told."""
    engineers = list(product.engineers.filter(is_active=True).values_list("pk", "email"))
    Notification.objects.bulk_create(
        Notification(fan_id=fan_id, kind=kind, message=message, url=url) for fan_id, _ in engineers
    )
    queue_emails(
        Email(f"{event_key}:fan:{fan_id}", fan_id, email_subject, email_body)
        for fan_id, email in engineers
        if email
    )
    return len(engineers)


# Every (fan, post) pair to tell about a build: voters and active followers of its posts,
# minus pairs where the fan explicitly unfollowed the post, for active fans. The shipped
# posts come as a list of ids ({shipped}: one placeholder each), not as a subquery on the
# build's changes: the planner then knows how many votes they carry (a million, not the
# handful its statistics of a build cut a moment ago suggest) and hashes instead of looping.
_BUILD_PAIRS = """
WITH voters_and_followers AS (
    SELECT fan_id, post_id FROM {vote} WHERE post_id IN ({shipped})
    UNION
    SELECT fan_id, post_id FROM {subscription} WHERE active AND post_id IN ({shipped})
), pairs AS (
    SELECT vf.fan_id, vf.post_id, fan.email
    FROM voters_and_followers vf JOIN {user} fan ON fan.id = vf.fan_id
    WHERE fan.is_active AND NOT EXISTS (
        SELECT 1 FROM {subscription} s
        WHERE s.fan_id = vf.fan_id AND s.post_id = vf.post_id AND NOT s.active
    )
)
"""

# One in-app notification per fan, in one statement; the (fan, build) unique index turns
# a replay into nothing. Its row count is the number of fans told this time.
# (The WITH goes after INSERT: Python's sqlite3 reports no row count for a statement that
# does not start with INSERT.)
_INSERT_NOTIFICATIONS = """
INSERT INTO {notification} (fan_id, kind, build_id, post_id, message, url, created_at)
{pairs}
SELECT per_fan.fan_id, %s, %s,
    CASE WHEN per_fan.n = 1 THEN per_fan.post_id END,
    CASE WHEN per_fan.n = 1 THEN %s || post.title || %s ELSE CAST(per_fan.n AS TEXT) || %s END,
    %s, %s
FROM (
    SELECT pairs.fan_id, COUNT(*) AS n, MIN(pairs.post_id) AS post_id
    FROM pairs GROUP BY pairs.fan_id
) per_fan JOIN {post} post ON post.id = per_fan.post_id -- per fan, not per (fan, post) pair
WHERE per_fan.n > 0 -- SQLite needs a WHERE before ON CONFLICT in an INSERT ... SELECT
ORDER BY per_fan.fan_id -- the indexes on fan_id are then written in order
ON CONFLICT DO NOTHING
"""

# The fans to email with their posts, ordered by fan so that one pass groups each fan's
# posts; streamed, so that a million fans never sit in memory at once.
_EMAIL_PAIRS = """
SELECT pairs.fan_id, pairs.post_id FROM pairs
WHERE pairs.email <> '' AND NOT EXISTS (
    SELECT 1 FROM {preference} p WHERE p.fan_id = pairs.fan_id AND NOT p.updates
)
ORDER BY pairs.fan_id, pairs.post_id
"""


def _tables() -> dict[str, str]:
    quote = connection.ops.quote_name
    models: dict[str, type[Model]] = {
        "vote": apps.get_model("voting", "Vote"),
        "subscription": Subscription,
        "user": User,
        "notification": Notification,
        "post": Post,
        "preference": EmailPreference,
    }
    return {name: quote(model._meta.db_table) for name, model in models.items()}


def _build_pairs(post_ids: list[int]) -> tuple[str, list[int]]:
    """_BUILD_PAIRS for these shipped posts, and its parameters."""
    shipped = ", ".join(["%s"] * len(post_ids))
    return _BUILD_PAIRS.format(shipped=shipped, **_tables()), post_ids + post_ids


def _fans_to_email(post_ids: list[int]) -> Iterator[tuple[int, list[int]]]:
    """(fan id, post ids) per fan, streamed (a server-side cursor on PostgreSQL)."""
    pairs, params = _build_pairs(post_ids)
    with connection.chunked_cursor() as cursor:
        cursor.execute(pairs + _EMAIL_PAIRS.format(**_tables()), params)
        current: tuple[int, list[int]] | None = None
        while rows := cursor.fetchmany(BATCH_SIZE):
            for fan_id, post_id in rows:
                if current is None or current[0] != fan_id:
                    if current is not None:
                        yield current
                    current = (fan_id, [])
                current[1].append(post_id)
        if current is not None:
            yield current


@dataclass(frozen=True)
class _ShippedPost:
    title: str
    url: str
    position: int


def notify_build_published(*, build: Build) -> int:
    """Tell every voter and follower of every post shipped in `build`, once per build: one
    in-app notification and one email per fan, listing all of that fan's shipped posts.

    Call it inside the transaction that publishes the build. Calling it again for the same
    build tells nobody twice (a unique index per fan and build; email keys per fan and
    build). A fan who explicitly unfollowed a post is not told about that post. Set-based:
    one INSERT ... SELECT for the notifications, and the emails written in batches from one
    streamed query; never a query per fan. Returns how many fans were told this time.
    """
    changes = (
        apps.get_model("releases", "Change")
        .objects.filter(build=build, post__isnull=False)
        .order_by("position", "pk")
        .values_list("post_id", "post__title")
    )
    shipped = {
        post_id: _ShippedPost(title, settings.SITE_URL + reverse("board:post", args=[post_id]), i)
        for i, (post_id, title) in enumerate(changes)
    }
    if not shipped:
        return 0
    release = f"{build.product.name} {build.version}"
    notes_path = build.get_absolute_url()
    pairs, pairs_params = _build_pairs(list(shipped))
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A million (fan, post) pairs are deduplicated and grouped by fan twice (here
            # and for the emails): in memory, not in sorted runs spilled to disk.
            cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(
            _INSERT_NOTIFICATIONS.format(pairs=pairs, **_tables()),
            [
                *pairs_params,
                NotificationKind.SHIPPED.value,
                build.pk,
                "“",
                f"” shipped in {build.version}",
                f" posts you follow shipped in {build.version}",
                notes_path,
                connection.ops.adapt_datetimefield_value(timezone.now()),
            ],
        )
        told = max(cursor.rowcount, 0)
        if told == 0:
            return 0  # everyone was told before: their emails exist (or never will)
        emailed = 0
        # Fans told before (a build whose notes grew after a first publication) already
        # have their email: its key makes the INSERT skip them.
        for chunk in _chunks(_fans_to_email(list(shipped)), BATCH_SIZE):
            emails = []
            for fan_id, post_ids in chunk:
                posts = sorted((shipped[post_id] for post_id in post_ids), key=_position)
                if len(posts) == 1:
                    subject = f"Shipped in {release}: {posts[0].title}"
                    carries = "a post"
                else:
                    subject = f"{len(posts)} posts you follow shipped in {release}"
                    carries = f"{len(posts)} posts"
                lines = "".join(f"• {post.title}\n  {post.url}\n" for post in posts)
                body = (
                    f"{release} is out, and it carries {carries} you follow:\n\n{lines}\n"
                    f"Release notes: {settings.SITE_URL}{notes_path}\n"
                )
                emails.append(Email(f"build:{build.pk}:fan:{fan_id}", fan_id, subject, body))
            emailed += _insert_outbox(emails)
        if emailed:
            schedule_delivery(senders=1 + emailed // EMAILS_PER_SENDER)
    return told


def _position(post: _ShippedPost) -> int:
    return post.position
