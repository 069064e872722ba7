from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orangefriday.board.models import Post, Product


class Channel(models.TextChoices):
    INTERNAL = "internal", _("Internal")
    DEVELOPER = "developer", _("Developer")
    STABLE = "stable", _("Stable")


class ChangeKind(models.TextChoices):
    NEW = "new", _("New")
    IMPROVED = "improved", _("Improved")
    FIXED = "fixed", _("Fixed")


class Holiday(models.Model):
    """A day on which no developer build is cut (a Friday in a holiday week)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="holidays")
    date = models.DateField(help_text="A Friday listed here skips that week's developer build.")
    name = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["product", "date"], name="holiday_unique_per_product")
        ]

    def __str__(self) -> str:
        return f"{self.product}: {self.date} {self.name}"


class BuildQuerySet(models.QuerySet["Build"]):
    def published(self) -> "BuildQuerySet":
        return self.filter(published_at__isnull=False)

    def for_everyone(self) -> "BuildQuerySet":
        """Published builds any fan may see: internal ones are for the product's engineers
        and testers only (permissions.can_see_internal), so lists for everyone leave them
        out."""
        return self.published().exclude(channel=Channel.INTERNAL)

    def developer(self) -> "BuildQuerySet":
        return self.filter(channel=Channel.DEVELOPER)

    def rolling_out(self) -> "BuildQuerySet":
        """Stable builds whose staged rollout is on its way: published, not halted, not
        yet at everyone."""
        return self.filter(
            channel=Channel.STABLE,
            published_at__isnull=False,
            rollout_halted=False,
            rollout_percent__lt=100,
        )


class Build(models.Model):
    """One release on one channel. Developer builds are named YY.M.D of their Friday."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="builds")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    version = models.CharField(max_length=40)
    # The product-local day the version names: a developer build's Friday, an internal
    # build's day, a stable build's developer build's Friday. Week numbers count from it.
    version_date = models.DateField()
    # For a developer build, its Friday 17:00 (whenever the cut actually ran): posts
    # shipped up to this instant are in it.
    cut_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    # Who pressed publish; empty when the Friday scheduler (or the command) published it.
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # "Week N" of the announcement: consecutive weeks since the product's first build.
    week_number = models.PositiveIntegerField(null=True, blank=True)
    # Engineers' words above the generated notes, editable before or after publishing.
    notes_intro = models.TextField(blank=True)
    announcement = models.OneToOneField(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="announced_build"
    )
    promoted_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="promotions"
    )
    # Staged rollout of stable builds: the share of fans offered the build, and a brake.
    rollout_percent = models.PositiveSmallIntegerField(default=0)
    rollout_halted = models.BooleanField(default=False)
    # The last halt, by an engineer or by the rollout guard, and why (empty: an engineer's).
    # Bug reports filed before it no longer count towards the guard.
    rollout_halted_at = models.DateTimeField(null=True, blank=True)
    rollout_halt_reason = models.CharField(max_length=300, blank=True)

    objects = BuildQuerySet.as_manager()

    class Meta:
        ordering = ["-cut_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "channel", "version"], name="build_version_unique"
            )
        ]
        indexes = [models.Index(fields=["product", "channel", "-cut_at"], name="build_latest")]

    def __str__(self) -> str:
        return f"{self.product} {self.version} ({self.channel})"

    def get_absolute_url(self) -> str:
        return reverse("releases:build", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Change(models.Model):
    """One line of a build's release notes, usually a shipped post."""

    build = models.ForeignKey(Build, on_delete=models.CASCADE, related_name="changes")
    post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes"
    )
    kind = models.CharField(max_length=16, choices=ChangeKind.choices)
    text = models.CharField(max_length=300)
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    voters_count = models.PositiveIntegerField(default=0)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["build", "post"], name="change_post_once_per_build")
        ]

    def __str__(self) -> str:
        return f"{self.build.version}: {self.text}"


class Installation(models.Model):
    """A fan says they run this build: the base of stability ratings and of the rollout
    guard's "bug reports per 1,000 fans running it"."""

    fan = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="installations"
    )
    build = models.ForeignKey(Build, on_delete=models.CASCADE, related_name="installations")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["fan", "build"], name="installation_once_per_fan")
        ]

    def __str__(self) -> str:
        return f"{self.fan_id} runs {self.build.version}"


class KnownIssue(models.Model):
    """A bug report that engineers list on a build's page, so that fans running the build
    find it (and vote there) instead of reporting it again."""

    build = models.ForeignKey(Build, on_delete=models.CASCADE, related_name="known_issues")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="known_issue_of")
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["build", "post"], name="known_issue_once_per_build")
        ]

    def __str__(self) -> str:
        return f"post {self.post_id} is a known issue of build {self.build_id}"
