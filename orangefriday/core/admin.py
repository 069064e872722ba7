from django.contrib import admin
from django.http import HttpRequest

from .models import Event, Handling


class HandlingInline(admin.TabularInline):
    model = Handling
    extra = 0
    readonly_fields = ("consumer", "cursor", "done", "attempts", "last_error", "updated_at")
    can_delete = False


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """The event log, to watch: which consumers handled an event, and why one failed."""

    list_display = ("id", "kind", "subject_type", "subject_id", "actor_id", "created_at", "pending")
    list_filter = ("pending", "kind")
    search_fields = ("kind", "subject_type")
    date_hierarchy = "created_at"
    readonly_fields = (
        "kind",
        "subject_type",
        "subject_id",
        "actor_id",
        "payload",
        "created_at",
        "pending",
    )
    inlines = [HandlingInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
