from django.db import models


class RateCounter(models.Model):
    """One rate-limit counter of the database store (core.limits.DatabaseStorage)."""

    key = models.CharField(max_length=255, primary_key=True)
    count = models.IntegerField()
    # Epoch seconds at which the window ends and the count starts again from zero.
    expires_at = models.FloatField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key} = {self.count}"
