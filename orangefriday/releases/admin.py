from django.contrib import admin

from .models import Build, Change, Holiday


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ("date", "name", "product")
    list_filter = ("product",)
    date_hierarchy = "date"


class ChangeInline(admin.TabularInline):
    model = Change
    fields = ("position", "kind", "text", "post", "proposer", "voters_count")
    raw_id_fields = ("post", "proposer")
    extra = 0


@admin.register(Build)
class BuildAdmin(admin.ModelAdmin):
    list_display = ("version", "product", "channel", "week_number", "cut_at", "published_at")
    list_filter = ("product", "channel")
    search_fields = ("version",)
    raw_id_fields = ("announcement", "promoted_from", "published_by")
    # Publishing, the announcement and the rollout have their own actions (pages and API):
    # changed here they would skip the pinning and the notifications.
    readonly_fields = (
        "published_at",
        "published_by",
        "announcement",
        "rollout_percent",
        "rollout_halted",
        "rollout_halted_at",
        "rollout_halt_reason",
    )
    inlines = [ChangeInline]
