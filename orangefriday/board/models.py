from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from orangefriday.core.images import ImageStorage, image_path
from orangefriday.core.text import searchable_text
from orangefriday.ranking.best import DEFAULT_TYPICAL, TypicalRate, explore_priority

from .logs import LogStorage, log_path


def own_text(english: str, chinese: str) -> str:
    """A product's own text (its name, tagline, a category's name) in the language of the
    page, email or notification being made: the Chinese its engineers gave, when that is
    the language, else the English."""
    language = get_language() or settings.LANGUAGE_CODE
    return chinese if chinese and language.lower().startswith("zh") else english


class Product(models.Model):
    """A thing the community shapes; it has a board, categories and engineers."""

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=80)
    tagline = models.CharField(max_length=200, blank=True)
    # The same in Simplified Chinese, shown on Chinese pages; empty, the English is shown.
    name_zh = models.CharField("name (中文)", max_length=80, blank=True)
    tagline_zh = models.CharField("tagline (中文)", max_length=200, blank=True)
    engineers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="engineering_products"
    )
    # The product's own clock: the Friday cut and the feedback window follow it.
    time_zone = models.CharField(max_length=64, default="Asia/Shanghai")
    # Which sort the weekly planning board ranks open posts by.
    planning_sort = models.CharField(
        max_length=16,
        choices=[
            ("best", _("Best")),
            ("top", _("Top")),
            ("hot", _("Hot")),
            ("trending", _("Trending")),
        ],
        default="best",
    )
    # The product's typical vote rate and its strength (ranking.best.TypicalRate), refitted
    # periodically from its posts' weighted counts; every post's best_score depends on it.
    typical_rate = models.FloatField(default=DEFAULT_TYPICAL.rate)
    typical_strength = models.FloatField(default=DEFAULT_TYPICAL.strength)
    typical_fitted_at = models.DateTimeField(null=True, blank=True)
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

    @property
    def local_name(self) -> str:
        return own_text(self.name, self.name_zh)

    @property
    def local_tagline(self) -> str:
        return own_text(self.tagline, self.tagline_zh)

    @property
    def typical(self) -> TypicalRate:
        return TypicalRate(rate=self.typical_rate, strength=self.typical_strength)


class Category(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="categories")
    slug = models.SlugField(max_length=50)
    name = models.CharField(max_length=80)
    name_zh = models.CharField("name (中文)", max_length=80, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["product", "slug"], name="category_unique_per_product")
        ]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    @property
    def local_name(self) -> str:
        return own_text(self.name, self.name_zh)


class Tag(models.Model):
    name = models.CharField(max_length=40)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="tag_name_unique_ci")]

    def __str__(self) -> str:
        return self.name


class Kind(models.TextChoices):
    IDEA = "idea", _("Idea")
    BUG = "bug", _("Bug report")
    DISCUSSION = "discussion", _("Discussion")


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    UNDER_REVIEW = "under_review", _("Under review")
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    SHIPPED = "shipped", _("Shipped")
    DECLINED = "declined", _("Declined")
    DUPLICATE = "duplicate", _("Duplicate")


class Visibility(models.TextChoices):
    """Who sees a post or comment. Only `visible` content is listed anywhere; the others
    leave a tombstone on the content's own page (see `visible()`)."""

    VISIBLE = "visible", _("Visible")
    # A level-0 fan's early post with links or images, until a moderator approves it.
    HELD = "held", _("Waiting for review")
    # A moderator's decision (or enough flag weight): restorable.
    HIDDEN = "hidden", _("Hidden by moderators")
    # A moderator deleted it: final, like a hidden item that is never restored.
    REMOVED = "removed", _("Deleted by moderators")
    DELETED = "deleted", _("Deleted by its author")


VISIBILITY_REASON_MAX_LENGTH = 200


def visible_filter(through: str = "") -> Q:
    """The rule of `PostQuerySet.visible`, for the posts reached through a relation
    (`visible_filter("post")` on changes): a join on the relation, which the database reads by
    key, where `post__in=Post.objects.visible()` made it scan every post of every board
    (3 s of the publishing transaction at 1M posts, for a build's 200 lines)."""
    prefix = f"{through}__" if through else ""
    return Q(**{f"{prefix}visibility": Visibility.VISIBLE, f"{prefix}merged_into__isnull": True})


class PostQuerySet(models.QuerySet["Post"]):
    def visible(self) -> "PostQuerySet":
        """The posts every list shows (boards, search, similar posts, roadmap, API, feeds,
        profiles, known issues, notifications): not hidden, held or deleted, and not a
        merged duplicate (whose link leads to its original)."""
        return self.filter(visible_filter())


class CommentQuerySet(models.QuerySet["Comment"]):
    def visible(self) -> "CommentQuerySet":
        """The comments that are counted and shown with their text (the others show as a
        tombstone in their thread, so that replies stay readable)."""
        return self.filter(visibility=Visibility.VISIBLE)


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
    # When moderators or the product's engineers featured it (moderation's action); None
    # when it is not featured.
    featured_at = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )
    visibility = models.CharField(
        max_length=8, choices=Visibility.choices, default=Visibility.VISIBLE
    )
    # What the tombstone says ("spam"); the moderation log keeps who decided and when.
    visibility_reason = models.CharField(max_length=VISIBILITY_REASON_MAX_LENGTH, blank=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    votes_count = models.PositiveIntegerField(default=0)
    trending_votes = models.PositiveIntegerField(default=0)
    hot_score = models.FloatField(default=0.0)
    comments_count = models.PositiveIntegerField(default=0)
    readers_count = models.PositiveIntegerField(default=0)
    anonymous_views = models.PositiveIntegerField(default=0)
    # The sums of the weights of the post's vote rows and reader rows (ranking.best's
    # activity_weight), kept exact by the vote actions and the read flush, and the scores
    # of the "best" sort computed from them and the product's typical rate.
    weighted_votes = models.FloatField(default=0.0)
    weighted_readers = models.FloatField(default=0.0)
    best_score = models.FloatField(default=DEFAULT_TYPICAL.rate)
    explore_priority = models.FloatField(
        default=explore_priority(weighted_votes=0, weighted_readers=0, typical=DEFAULT_TYPICAL)
    )
    # After a burst of untrusted votes, untrusted reads and votes weigh 0 until then.
    burst_until = models.DateTimeField(null=True, blank=True)

    # Title and body as the search index reads them (see search_columns and board.search).
    search_title = models.TextField(blank=True, editable=False)
    search_body = models.TextField(blank=True, editable=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        # One index per order of ranked.SORTS (and EXPLORE_ORDER), with all its columns,
        # the tie-break on id included: without it PostgreSQL sorts every post of the
        # product to find a page (150 ms at 100,000 posts).
        indexes = [
            models.Index(fields=["product", "-hot_score", "-id"], name="post_product_hot"),
            models.Index(fields=["product", "-votes_count", "-id"], name="post_product_top"),
            models.Index(
                fields=["product", "-trending_votes", "-votes_count", "-id"],
                name="post_product_trending",
            ),
            models.Index(fields=["product", "-created_at", "-id"], name="post_product_new"),
            models.Index(fields=["-hot_score", "-id"], name="post_hot"),
            models.Index(fields=["-votes_count", "-id"], name="post_top"),
            models.Index(fields=["-trending_votes", "-votes_count", "-id"], name="post_trending"),
            models.Index(fields=["-created_at", "-id"], name="post_new"),
            models.Index(fields=["product", "-best_score", "-id"], name="post_product_best"),
            models.Index(
                fields=["product", "-explore_priority", "-id"], name="post_product_explore"
            ),
            models.Index(fields=["-best_score", "-id"], name="post_best"),
            models.Index(fields=["-explore_priority", "-id"], name="post_explore"),
            # The rollout guard counts a build's recent bug reports.
            models.Index(fields=["found_in_build", "created_at"], name="post_build_reports"),
            # Every first page of a board shows its pinned posts: without this, finding
            # them scans all of the product's posts (seconds at a million posts).
            models.Index(
                fields=["product", "-created_at"],
                condition=models.Q(pinned=True),
                name="post_product_pinned",
            ),
            # The board's "featured" filter reads only the few featured posts.
            models.Index(
                fields=["product", "-featured_at"],
                condition=models.Q(featured_at__isnull=False),
                name="post_product_featured",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("board:post", args=[self.pk])

    @property
    def accepts_votes(self) -> bool:
        return self.status != Status.DUPLICATE and self.visibility == Visibility.VISIBLE

    @property
    def is_visible(self) -> bool:
        return self.visibility == Visibility.VISIBLE and self.merged_into_id is None


IMAGE_ALT_MAX_LENGTH = 200


class PostImage(models.Model):
    """A picture attached to a post: re-encoded by core.images.clean_image when it came in,
    stored under a random name, and sent only by board.views.post_image to those who may
    see its post. Its file leaves the disk once its row is deleted (board.apps)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="images")
    file = models.FileField(storage=ImageStorage(), upload_to=image_path, max_length=100)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    # The fan's description for readers who cannot see it; empty: "Image N of the post".
    alt = models.CharField(max_length=IMAGE_ALT_MAX_LENGTH, blank=True)
    position = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"image {self.position} of post {self.post_id}"

    def get_absolute_url(self) -> str:
        return reverse("board:image", args=[self.post_id, self.pk])

    @property
    def shown_alt(self) -> str:
        """Its text alternative: the fan's description, else which image of the post it is."""
        return self.alt or gettext("Image %(number)s of the post") % {"number": self.position}


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
    visibility = models.CharField(
        max_length=8, choices=Visibility.choices, default=Visibility.VISIBLE
    )
    visibility_reason = models.CharField(max_length=VISIBILITY_REASON_MAX_LENGTH, blank=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Comment {self.pk} on post {self.post_id}"


class PostReader(models.Model):
    """One row per distinct signed-in fan who opened or voted on a post (not one per view).

    It keeps the fan's trust level when she became the reader and the weight it gave her
    (ranking.best.activity_weight); her vote on the post carries the same weight. A row
    written without them (bulk loads, and the readers counted before reads were weighed)
    counts as a trusted fan's.
    """

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="readers")
    fan = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    first_read_at = models.DateTimeField(default=timezone.now)
    trust_level = models.PositiveSmallIntegerField(default=1)
    weight = models.FloatField(default=1.0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "fan"], name="post_reader_unique")]

    def __str__(self) -> str:
        return f"fan {self.fan_id} read post {self.post_id}"


class StatusChange(models.Model):
    """One entry of a post's public timeline: a status change and/or an official response."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="status_changes")
    # Empty for the system's own changes (a post reopened by its voters' answers).
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
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


class PostRevision(models.Model):
    """A post as it was before one edit (its author's, or a moderator's): the page shows
    "edited" and this history."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    body = models.TextField(max_length=BODY_MAX_LENGTH, blank=True)
    category_name = models.CharField(max_length=80, blank=True)
    tag_names = models.CharField(max_length=250, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"post {self.post_id} before an edit of {self.created_at:%Y-%m-%d %H:%M}"


class CommentRevision(models.Model):
    """A comment (an engineer's official response too) as it was before one edit."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    body = models.TextField(max_length=BODY_MAX_LENGTH)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"comment {self.comment_id} before an edit of {self.created_at:%Y-%m-%d %H:%M}"
