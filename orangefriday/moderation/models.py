"""Moderation's rows: fans' flags, the queue's items, the moderation log, silences, and the
days fans visit (which earn trust levels)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orangefriday.board.models import Comment, Post, Product

TEXT_MAX_LENGTH = 500
REASON_MAX_LENGTH = 200


class FlagReason(models.TextChoices):
    SPAM = "spam", _("spam")
    ABUSIVE = "abusive", _("abusive")
    OFF_TOPIC = "off_topic", _("off-topic")
    DUPLICATE = "duplicate", _("duplicate")
    OTHER = "other", _("something else")


class FlagState(models.TextChoices):
    PENDING = "pending", _("pending")
    UPHELD = "upheld", _("upheld")
    REJECTED = "rejected", _("rejected")


class Review(models.Model):
    """One item (a post, or a comment) in the moderation queue: flagged by fans or held for
    review, until a moderator or one of its product's engineers decides. An item that is
    flagged again after a decision opens a new review."""

    class State(models.TextChoices):
        OPEN = "open", _("open")
        DECIDED = "decided", _("decided")

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reviews")
    # Set for a comment's review; `post` is then the comment's post.
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="reviews"
    )
    state = models.CharField(max_length=8, choices=State.choices, default=State.OPEN)
    # The sum of its pending flags' weights (see trust.flag_weight).
    weight = models.FloatField(default=0.0)
    held = models.BooleanField(default=False)
    opened_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["-weight", "opened_at", "pk"]
        constraints = [
            # One open review per item.
            models.UniqueConstraint(
                fields=["post"],
                condition=models.Q(state="open", comment__isnull=True),
                name="review_open_post",
            ),
            models.UniqueConstraint(
                fields=["comment"],
                condition=models.Q(state="open", comment__isnull=False),
                name="review_open_comment",
            ),
        ]
        indexes = [models.Index(fields=["state", "product"], name="review_state_product")]

    def __str__(self) -> str:
        what = f"comment {self.comment_id}" if self.comment_id else f"post {self.post_id}"
        return f"review of {what} ({self.state})"

    @property
    def item(self) -> Post | Comment:
        return self.comment if self.comment_id else self.post  # type: ignore[return-value]


class Flag(models.Model):
    """A fan's report that a post or comment breaks the rules: one per fan per item."""

    flagger = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags"
    )
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="flags")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="flags")
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="flags"
    )
    # The author of the flagged item, so that "flags upheld against a fan" is one index read.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags_against"
    )
    reason = models.CharField(max_length=12, choices=FlagReason.choices)
    text = models.CharField(max_length=TEXT_MAX_LENGTH, blank=True)
    # A duplicate flag names the original.
    original = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The flagger's trust level when they flagged, and the weight it gave the flag.
    trust_level = models.PositiveSmallIntegerField()
    weight = models.FloatField()
    state = models.CharField(max_length=8, choices=FlagState.choices, default=FlagState.PENDING)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["flagger", "post"],
                condition=models.Q(comment__isnull=True),
                name="flag_once_per_post",
            ),
            models.UniqueConstraint(
                fields=["flagger", "comment"],
                condition=models.Q(comment__isnull=False),
                name="flag_once_per_comment",
            ),
        ]
        indexes = [
            models.Index(fields=["author", "state"], name="flag_author_state"),
            models.Index(fields=["flagger", "state"], name="flag_flagger_state"),
        ]

    def __str__(self) -> str:
        return f"{self.reason} flag by fan {self.flagger_id}"


class Action(models.TextChoices):
    APPROVE = "approve", _("approved")
    HIDE = "hide", _("hidden")
    RESTORE = "restore", _("restored")
    DELETE = "delete", _("deleted")
    MERGE = "merge", _("merged as a duplicate")
    HIDE_AND_SILENCE = "hide_and_silence", _("hidden, author silenced")
    AUTO_HIDE = "auto_hide", _("hidden by flags")
    SILENCE = "silence", _("silenced")
    UNSILENCE = "unsilence", _("silence lifted")
    SUSPEND = "suspend", _("suspended")
    UNSUSPEND = "unsuspend", _("suspension lifted")
    BLOCK = "block", _("declined and blocked")
    GRANT_LEADER = "grant_leader", _("made a leader")
    REVOKE_LEADER = "revoke_leader", _("leader level taken back")
    FEATURE = "feature", _("featured")
    UNFEATURE = "unfeature", _("no longer featured")


class LogEntry(models.Model):
    """The moderation log: every decision (who, what, when, why); moderators read it."""

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    fan = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=REASON_MAX_LENGTH, blank=True)
    until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "log entries"

    def __str__(self) -> str:
        return f"{self.action} by {self.moderator_id} at {self.created_at:%Y-%m-%d %H:%M}"


class Silence(models.Model):
    """A silence's span, so that the scheduler counts the fan's votes again once it ends
    (`votes_back_at`)."""

    fan = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    until = models.DateTimeField()
    votes_back_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["votes_back_at", "until"], name="silence_pending")]

    def __str__(self) -> str:
        return f"fan {self.fan_id} silenced until {self.until:%Y-%m-%d %H:%M}"


class FanDay(models.Model):
    """A day a fan visited, and about how long they spent (see visits.py): two of the
    things trust levels are earned by."""

    fan = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    seconds = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["fan", "day"], name="fan_day_unique")]

    def __str__(self) -> str:
        return f"fan {self.fan_id} on {self.day}"
