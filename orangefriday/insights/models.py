from django.db import models
from django.utils import timezone

from orangefriday.board.models import Product


class WeekFigures(models.Model):
    """One product's counts for one of its weeks (Monday 00:00 to Monday 00:00, product time),
    precomputed by refresh.refresh_week_figures so that no request counts votes or fans."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    week = models.DateField(help_text="The week's Monday, in the product's time zone")
    # Fans of the whole site who signed up that week (fans are not a product's).
    fans_joined = models.PositiveIntegerField(default=0)
    posts = models.PositiveIntegerField(default=0)
    votes = models.PositiveIntegerField(default=0)
    # Of the posts on the first page of the product's board (its default sort), the share
    # with fewer than FEW_READERS readers, as last measured during that week.
    first_page_few_readers = models.FloatField(null=True, blank=True)
    refreshed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["product", "week"]
        constraints = [
            models.UniqueConstraint(fields=["product", "week"], name="week_figures_once")
        ]

    def __str__(self) -> str:
        return f"{self.product_id} week of {self.week}"
