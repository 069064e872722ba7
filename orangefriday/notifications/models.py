from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# An email that failed this many times is left alone (visible in the admin as failed).
MAX_ATTEMPTS = 5


class Subscription(models.Model):
    """A fan following a post. `active=False` remembers an unsubscribe, so that voting or
    commenting later does not subscribe the fan again against their wish."""

    fan = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions"
    )
    # Named by string: notifications comes before board and releases (DESIGN.md §3).
    post = models.ForeignKey("board.Post", on_delete=models.CASCADE, related_name="subscriptions")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["fan", "post"], name="one_subscription_per_fan")
        ]
        indexes = [
            # The followers of a post; with the fan last, those of a range of fans too (a
            # big fan-out goes range by range: fanout.py).
            models.Index(fields=["post", "active", "fan"], name="subscription_post_active_fan")
        ]

    def __str__(self) -> str:
        return f"fan {self.fan_id} follows post {self.post_id}"


class Digest(models.TextChoices):
    OFF = "off", _("Never")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class EmailPreference(models.Model):
    """Whether a fan wants any email about the conversation (`updates`: notifications'
    emails and the digest) and how often the digest comes. No row means yes, weekly; the
    unsubscribe link writes `updates=False`. In-app notifications are not affected."""

    fan = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="email_preference",
    )
    updates = models.BooleanField(default=True)
    digest = models.CharField(max_length=8, choices=Digest.choices, default=Digest.WEEKLY)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"fan {self.fan_id}: updates by email {'on' if self.updates else 'off'}"


class NotificationKind(models.TextChoices):
    STATUS = "status", _("Status changed")
    RESPONSE = "response", _("Official response")
    SHIPPED = "shipped", _("Shipped in a build")
    HALTED = "halted", _("Rollout halted")
    TESTER = "tester", _("Tester programme")
    INTERNAL_BUILD = "internal_build", _("Internal build")
    SALE = "sale", _("Sale round")
    REPLY = "reply", _("A reply to you")
    MENTION = "mention", _("A mention of you")
    ANSWER = "answer", _("An official answer on a post you follow")
    MERGED = "merged", _("Your post merged")
    HIDDEN = "hidden", _("Your post or comment hidden")


class KindPreference(models.Model):
    """A fan's choice for one kind of notification, in-app and by email. No row means both
    on: most fans never change anything, and the table stays small."""

    fan = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kind_preferences"
    )
    kind = models.CharField(max_length=16, choices=NotificationKind.choices)
    in_app = models.BooleanField(default=True)
    email = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["fan", "kind"], name="one_preference_per_fan_kind")
        ]

    def __str__(self) -> str:
        return f"fan {self.fan_id}, {self.kind}: in-app {self.in_app}, email {self.email}"


class Notification(models.Model):
    """An in-app notification (the bell)."""

    # No index of its own: notification_fan_unread and the unique (fan, build) start with it.
    fan = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,
    )
    kind = models.CharField(max_length=16, choices=NotificationKind.choices)
    post = models.ForeignKey("board.Post", on_delete=models.CASCADE, null=True, blank=True)
    build = models.ForeignKey("releases.Build", on_delete=models.CASCADE, null=True, blank=True)
    message = models.CharField(max_length=300)
    # The language the message was worded in (the fan's when it was sent; a later switch
    # does not reword it), so that the page marks it as such.
    language = models.CharField(max_length=8, blank=True, db_default="")
    # What was said, when there is something to quote (a comment's start).
    # A default in the database too: the fan-out writes its rows with raw SQL (sql.py).
    text = models.CharField(max_length=300, blank=True, db_default="")
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["fan", "read_at"], name="notification_fan_unread")]
        constraints = [
            # A build tells each fan once, however often its publication is replayed.
            models.UniqueConstraint(
                fields=["fan", "build"],
                condition=Q(build__isnull=False),
                name="notification_once_per_fan_build",
            )
        ]

    def __str__(self) -> str:
        return f"to fan {self.fan_id}: {self.message}"


class OutboxEmailQuerySet(models.QuerySet["OutboxEmail"]):
    def pending(self) -> "OutboxEmailQuerySet":
        """Not sent yet and still worth trying (claimed or not)."""
        return self.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)

    def failed(self) -> "OutboxEmailQuerySet":
        return self.filter(sent_at__isnull=True, attempts__gte=MAX_ATTEMPTS)


class OutboxEmail(models.Model):
    """An email to send, written by an event's consumer in the same transaction as its
    record of having handled the event (core.events), so it is written exactly once.

    A worker claims a few rows (a lease: `claimed_by` until `claimed_until`), sends each and
    then marks it sent. A worker killed between SMTP's "accepted" and that mark sends that
    one email again after its lease runs out (at most one duplicate per kill); nothing is
    lost. `key` makes each email exist once (e.g. one per fan per build). See delivery.py.
    """

    key = models.CharField(max_length=120, unique=True)
    fan = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outbox_emails"
    )
    subject = models.CharField(max_length=200)
    body = models.TextField()
    # The unsubscribe link this email carries (also sent as List-Unsubscribe).
    unsubscribe_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_by = models.CharField(max_length=32, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    objects = OutboxEmailQuerySet.as_manager()

    class Meta:
        indexes = [
            # Only unsent rows are indexed, so the index stays small however many were sent.
            models.Index(
                fields=["created_at", "id"],
                condition=Q(sent_at__isnull=True),
                name="outbox_unsent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} ({'sent' if self.sent_at else 'pending'})"


class DigestRound(models.Model):
    """One sending of the digest (daily or weekly) for the period that ended at `period_end`:
    fans are done range by range (`cursor`, the last fan id covered), each range its own
    short transaction, so a killed worker resumes where it stopped. Its emails are keyed
    by round and fan, so a repeated range writes nothing twice."""

    frequency = models.CharField(max_length=8, choices=Digest.choices)
    period_end = models.DateTimeField()
    cursor = models.BigIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["frequency", "period_end"], name="one_digest_round")
        ]

    def __str__(self) -> str:
        return f"{self.frequency} digest to {self.period_end:%Y-%m-%d}"
