from django.conf import settings
from django.db import models
from django.utils import timezone

from orangefriday.board.models import Post


class Vote(models.Model):
    """One fan's support for one post; the unique constraint makes a second vote a no-op.

    It keeps the fan's trust level when she voted and the weight of her vote (her weight as
    the post's reader, see board.PostReader). A row written without them (bulk loads, and
    the votes cast before votes were weighed) counts as a trusted fan's.
    """

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="votes")
    fan = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes"
    )
    created_at = models.DateTimeField(default=timezone.now)
    trust_level = models.PositiveSmallIntegerField(default=1)
    weight = models.FloatField(default=1.0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "fan"], name="one_vote_per_fan")]
        indexes = [
            models.Index(fields=["created_at"], name="vote_created"),
            models.Index(fields=["fan", "-created_at"], name="vote_fan_recent"),
            # A burst is told by a post's untrusted votes of the last hour: a small index of
            # the new accounts' votes only (trust level 0, below ranking.best.TRUSTED_LEVEL).
            models.Index(
                fields=["post", "created_at"],
                condition=models.Q(trust_level=0),
                name="vote_untrusted_recent",
            ),
        ]

    def __str__(self) -> str:
        return f"fan {self.fan_id} votes for post {self.post_id}"


class TrendingWindow(models.Model):
    """The single row saying which votes `Post.trending_votes` still counts.

    A post's trending_votes counts exactly its votes created after `counted_after`. Moving
    the window forward subtracts the votes that fell out of it (see actions.expire_trending).
    """

    counted_after = models.DateTimeField()

    def __str__(self) -> str:
        return f"trending counts votes after {self.counted_after:%Y-%m-%d %H:%M:%S}"
