from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orangefriday.board.models import Post
from orangefriday.planning.models import Team
from orangefriday.releases.models import Build, Change

STABILITY_MIN, STABILITY_MAX = 1, 10


class Mood(models.TextChoices):
    HAPPY = "happy", _("Happy")
    SAD = "sad", _("Sad")
    LOVE_IT = "love_it", _("Love it")
    LOOKING_FORWARD = "looking_forward", _("Looking forward")


class Report(models.Model):
    """A fan's four-grid report on a developer build: mood, the change they loved most, the
    one that worked least well, and the feature they want most. One per fan and build,
    editable until the build's feedback window closes."""

    fan = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    build = models.ForeignKey(Build, on_delete=models.CASCADE, related_name="reports")
    mood = models.CharField(max_length=16, choices=Mood.choices)
    loved = models.ForeignKey(Change, on_delete=models.CASCADE, related_name="loved_in")
    least_effective = models.ForeignKey(
        Change, on_delete=models.CASCADE, related_name="least_effective_in"
    )
    wanted = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="wanted_in")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["fan", "build"], name="report_once_per_fan"),
            models.CheckConstraint(
                condition=~Q(loved=F("least_effective")), name="report_loved_is_not_least"
            ),
        ]

    def __str__(self) -> str:
        return f"fan {self.fan_id} on build {self.build_id}: {self.mood}"


class Rating(models.Model):
    """A fan's stability rating, 1-10, of a developer or stable build they run."""

    fan = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    build = models.ForeignKey(Build, on_delete=models.CASCADE, related_name="ratings")
    stability = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["fan", "build"], name="rating_once_per_fan"),
            models.CheckConstraint(
                condition=Q(stability__gte=STABILITY_MIN, stability__lte=STABILITY_MAX),
                name="rating_stability_1_to_10",
            ),
        ]

    def __str__(self) -> str:
        return f"fan {self.fan_id} rates build {self.build_id}: {self.stability}/10"


class Award(models.Model):
    """The Popcorn Award of a developer build's week: the change fans loved most, and the
    team that claimed its post. One per build (the unique build makes giving it idempotent)."""

    build = models.OneToOneField(Build, on_delete=models.CASCADE, related_name="popcorn_award")
    change = models.ForeignKey(Change, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="popcorn_awards"
    )
    # Empty when nobody claimed the post (an engineer shipped it without the plan).
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="popcorn_awards"
    )
    loved_count = models.PositiveIntegerField()
    least_effective_count = models.PositiveIntegerField()
    reports_count = models.PositiveIntegerField()
    awarded_at = models.DateTimeField(default=timezone.now)
    # The next week's build whose notes announce the award; empty until that build is out.
    announced_in = models.ForeignKey(
        Build, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-awarded_at", "-pk"]

    def __str__(self) -> str:
        return f"Popcorn Award {self.build.version}: {self.change.text}"


COMMENT_MAX_LENGTH = 1000


class Answer(models.Model):
    """A voter's answer to "did this build solve it?" about a post the build shipped: yes or
    no, with an optional comment. One per fan, post and build (a post reopened and shipped
    again is asked again), changeable for SOLVED_ANSWER_DAYS after the build is out."""

    fan = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="solved_answers")
    build = models.ForeignKey(Build, on_delete=models.CASCADE, related_name="solved_answers")
    solved = models.BooleanField()
    comment = models.TextField(max_length=COMMENT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # Post first: the figures of a post (and build) are read by this index.
            models.UniqueConstraint(fields=["post", "build", "fan"], name="answer_once_per_fan")
        ]

    def __str__(self) -> str:
        said = "solved" if self.solved else "not solved"
        return f"fan {self.fan_id} on post {self.post_id} in build {self.build_id}: {said}"
