from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from orangefriday.core.text import searchable_text

from .logs import LogStorage, log_path


class Product(models.Model):
    """A thing the community shapes; it has a board, categories and engineers."""

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=80)
    tagline = models.CharField(max_length=200, blank=True)
    engineers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="engineering_products"
    )
    # The product's own clock: the Friday cut and the feedback window follow it.
    time_zone = models.CharField(max_length=64, default="Asia/Shanghai")
    # Which sort the weekly planning board ranks open posts by.
    planning_sort = models.CharField(
        max_length=16,
        choices=[("top", "Top"), ("hot", "Hot"), ("trending", "Trending")],
        default="top",
    )
    # The rollout guard: a stable build's staged rollout halts by itself when the bug
    # reports naming it in the last 24 hours exceed this many per 1,000 fans running it.
    rollout_guard_per_1000 = models.PositiveIntegerField(
        default=20,
        help_text="Bug reports in 24 hours per 1,000 fans running a stable build above which "
        "its staged rollout halts by itself and the engineers are told.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("board:board", args=[self.slug])


class Category(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="categories")
    slug = models.SlugField(max_length=50)
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["product", "slug"], name="category_unique_per_product")
        ]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    name = models.CharField(max_length=40)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="tag_name_unique_ci")]

    def __str__(self) -> str:
        return self.name


class Kind(models.TextChoices):
    IDEA = "idea", "Idea"
    BUG = "bug", "Bug report"
    DISCUSSION = "discussion", "Discussion"


class Status(models.TextChoices):
    OPEN = "open", "Open"
    UNDER_REVIEW = "under_review", "Under review"
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    SHIPPED = "shipped", "Shipped"
    DECLINED = "declined", "Declined"
    DUPLICATE = "duplicate", "Duplicate"


TITLE_MAX_LENGTH = 160
BODY_MAX_LENGTH = 20_000


def search_columns(title: str, body: str) -> dict[str, str]:
    """A post's search columns for its title and body: CJK characters spaced apart, so that
    both full-text engines match a two-character Chinese query as a phrase."""
    return {"search_title": searchable_text(title), "search_body": searchable_text(body)}


class Post(models.Model):
    """What a fan writes on a board. The counters are kept exact by the actions that change them."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.IDEA)
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    body = models.TextField(max_length=BODY_MAX_LENGTH, blank=True)
    body_html = models.TextField(blank=True, editable=False)
    category = models.ForeignKey(
        Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="posts"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="posts")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    build_version = models.CharField(max_length=40, blank=True)
    # A bug's published build of the same product. Named by string, so that the board
    # imports nothing from releases (which comes later); build_version repeats its version.
    found_in_build = models.ForeignKey(
        "releases.Build",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bug_reports",
    )
    device = models.CharField(max_length=80, blank=True)
    # A bug's log file, kept outside every served directory (see logs.py); `log_name` is the
    # name the fan uploaded it under, used only as the download's file name.
    log = models.FileField(storage=LogStorage(), upload_to=log_path, blank=True, max_length=100)
    log_name = models.CharField(max_length=200, blank=True)
    log_size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Set when the status becomes `shipped`; the next developer build carries the post.
    shipped_at = models.DateTimeField(null=True, blank=True)
    # Pinned posts (the weekly release announcement) stay above the ranked board.
    pinned = models.BooleanField(default=False)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )

    votes_count = models.PositiveIntegerField(default=0)
    trending_votes = models.PositiveIntegerField(default=0)
    hot_score = models.FloatField(default=0.0)
    comments_count = models.PositiveIntegerField(default=0)
    readers_count = models.PositiveIntegerField(default=0)
    anonymous_views = models.PositiveIntegerField(default=0)

    # Title and body as the search index reads them (see search_columns and board.search).
    search_title = models.TextField(blank=True, editable=False)
    search_body = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["product", "-hot_score"], name="post_product_hot"),
            models.Index(fields=["product", "-votes_count"], name="post_product_top"),
            models.Index(fields=["product", "-trending_votes"], name="post_product_trending"),
            models.Index(fields=["product", "-created_at"], name="post_product_new"),
            models.Index(fields=["-hot_score"], name="post_hot"),
            models.Index(fields=["-votes_count"], name="post_top"),
            models.Index(fields=["-trending_votes"], name="post_trending"),
            models.Index(fields=["-created_at"], name="post_new"),
            # The rollout guard counts a build's recent bug reports.
            models.Index(fields=["found_in_build", "created_at"], name="post_build_reports"),
            # Every first page of a board shows its pinned posts: without this, finding
            # them scans all of the product's posts (seconds at a million posts).
            models.Index(
                fields=["product", "-created_at"],
                condition=models.Q(pinned=True),
                name="post_product_pinned",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("board:post", args=[self.pk])

    @property
    def accepts_votes(self) -> bool:
        return self.status != Status.DUPLICATE


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments"
    )
    # One level of replies: a reply to a reply attaches to the same top-level comment.
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    body = models.TextField(max_length=BODY_MAX_LENGTH)
    body_html = models.TextField(editable=False)
    # Set when an engineer of the post's product wrote it: the "official" badge.
    official = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Comment {self.pk} on post {self.post_id}"


class PostReader(models.Model):
    """One row per distinct signed-in fan who opened a post (not one per view)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="readers")
    fan = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    first_read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "fan"], name="post_reader_unique")]

    def __str__(self) -> str:
        return f"fan {self.fan_id} read post {self.post_id}"


class StatusChange(models.Model):
    """One entry of a post's public timeline: a status change and/or an official response."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="status_changes")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(max_length=16, choices=Status.choices)
    to_status = models.CharField(max_length=16, choices=Status.choices)
    note = models.TextField(max_length=BODY_MAX_LENGTH, blank=True)
    note_html = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"post {self.post_id}: {self.from_status} -> {self.to_status}"


class PostMerge(models.Model):
    """The record of a duplicate merged into its original (merges are not undone)."""

    duplicate = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="merge")
    original = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="merges_in")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    votes_moved = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"post {self.duplicate_id} merged into {self.original_id}"
