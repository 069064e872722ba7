from django.conf import settings
from django.db import models
from django.utils import timezone


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
