from django.contrib import admin

from .models import FanDay, Flag, LogEntry, Review


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["pk", "product", "post", "comment", "state", "weight", "held", "opened_at"]
    list_filter = ["state", "held", "product"]
    raw_id_fields = ["post", "comment", "decided_by"]


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ["pk", "flagger", "reason", "post", "comment", "weight", "state", "created_at"]
    list_filter = ["reason", "state"]
    raw_id_fields = ["flagger", "review", "post", "comment", "author", "original"]


@admin.register(LogEntry)
class LogEntryAdmin(admin.ModelAdmin):
    """The log is written by the actions only."""

    list_display = ["created_at", "moderator", "action", "fan", "post", "reason"]
    list_filter = ["action"]

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(FanDay)
class FanDayAdmin(admin.ModelAdmin):
    list_display = ["fan", "day", "seconds"]
    raw_id_fields = ["fan"]
