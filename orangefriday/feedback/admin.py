from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Award, Rating, Report


class ReadOnlyAdmin(admin.ModelAdmin):
    """Fans file reports and ratings, and the worker gives awards, through the actions (which
    check the window and record installations); here they are only read, or deleted to
    clean up."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("build", "fan", "mood", "loved", "least_effective", "wanted", "updated_at")
    list_filter = ("build__product", "mood")
    search_fields = ("fan__username", "build__version")


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ("build", "fan", "stability", "updated_at")
    list_filter = ("build__product", "stability")
    search_fields = ("fan__username", "build__version")


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ("build", "change", "team", "loved_count", "reports_count", "awarded_at")
    list_filter = ("build__product", "team")
