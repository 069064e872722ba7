from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from orangefriday.board.models import Post, Product

DEFAULT_WEEKLY_CAPACITY = 3


class Team(models.Model):
    """Two or three engineers of a product who claim posts for the week's build."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="teams")
    slug = models.SlugField(max_length=50)
    name = models.CharField(max_length=80)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="teams")
    weekly_capacity = models.PositiveSmallIntegerField(default=DEFAULT_WEEKLY_CAPACITY)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["product", "slug"], name="team_unique_per_product")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("planning:team", args=[self.product.slug, self.slug])


class Claim(models.Model):
    """A team taking a post into its weekly plan. A post is claimed by one team at a time;
    an unshipped claim rolls into the next week and keeps counting against capacity.
    Whether it shipped is the post's own `shipped_at`, not a copy here."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="claims")
    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="claim")
    engineer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claims"
    )
    # The Monday (in the product's time zone) of the week the post was claimed for.
    week_start = models.DateField()
    claimed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["claimed_at"]

    def __str__(self) -> str:
        return f"{self.team} claims post {self.post_id}"
