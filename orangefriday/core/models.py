"""Core's tables: the event log that every app writes to, the leases of singletons, the
rate-limit counters of the database store and the answers kept for Idempotency-Key."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Event(models.Model):
    """One thing that happened, written in the transaction of the action that did it, so
    that it exists if and only if the change committed (a transactional outbox).

    `pending` stays true until every consumer registered for the kind has handled it; only
    pending rows are indexed, so the index stays small however long the log grows. Ids are
    taken before commit, so a lower id may commit after a higher one: the dispatcher reads
    the pending flag, never a "last id done" position, and so never skips such an event.
    """

    kind = models.CharField(max_length=64)
    subject_type = models.CharField(max_length=64)  # a model label, e.g. "board.post"
    subject_id = models.BigIntegerField()
    # A plain id, not a foreign key: the log keeps who did it even after an account goes,
    # and core names no app's model.
    actor_id = models.BigIntegerField(null=True, blank=True)
    payload = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(default=timezone.now)
    pending = models.BooleanField(default=True)

    class Meta:
        indexes = [
            models.Index(fields=["id"], condition=Q(pending=True), name="event_pending"),
            models.Index(fields=["subject_type", "subject_id"], name="event_subject"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.subject_type}:{self.subject_id}"


class Handling(models.Model):
    """How far one consumer got with one event. Written in the same transaction as the
    consumer's own writes, so a killed worker loses nothing and repeats nothing: the
    consumer is `done`, or its `cursor` says where the next chunk starts."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="handlings")
    consumer = models.CharField(max_length=100)
    cursor = models.BigIntegerField(null=True, blank=True)
    done = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "consumer"], name="one_handling_per_consumer")
        ]

    def __str__(self) -> str:
        state = "done" if self.done else f"at {self.cursor}"
        return f"event {self.event_id} by {self.consumer}: {state}"


class Lease(models.Model):
    """A named lock that outlives no process for long: whoever holds it until `expires_at`
    works alone (the event dispatcher). A killed holder's lease simply runs out."""

    name = models.CharField(max_length=64, primary_key=True)
    holder = models.CharField(max_length=64)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} held by {self.holder} until {self.expires_at:%H:%M:%S}"


class RateCounter(models.Model):
    """One rate-limit counter of the database store (core.limits.DatabaseStorage)."""

    key = models.CharField(max_length=255, primary_key=True)
    count = models.IntegerField()
    # Epoch seconds at which the window ends and the count starts again from zero.
    expires_at = models.FloatField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key} = {self.count}"


class IdempotentRequest(models.Model):
    """The first answer to a creating API call sent with an `Idempotency-Key`: the same
    key from the same fan within a day gets it again, and nothing is created twice
    (core/idempotency.py)."""

    fan = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    # What the request was (method, path and body, hashed): one key names one request.
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(default=0)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(default=b"")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["fan", "key"], name="idempotent_request_unique")
        ]

    def __str__(self) -> str:
        return f"fan {self.fan_id}: {self.key}"
