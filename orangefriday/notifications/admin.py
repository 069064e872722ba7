from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import MAX_ATTEMPTS, EmailPreference, Notification, OutboxEmail, Subscription
from .tasks import start_delivery


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("fan", "post", "active", "created_at")
    list_filter = ("active",)
    search_fields = ("fan__username", "post__title")
    raw_id_fields = ("fan", "post")


@admin.register(EmailPreference)
class EmailPreferenceAdmin(admin.ModelAdmin):
    list_display = ("fan", "updates", "changed_at")
    list_filter = ("updates",)
    search_fields = ("fan__username", "fan__email")
    raw_id_fields = ("fan",)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("fan", "kind", "message", "created_at", "read_at")
    list_filter = ("kind",)
    search_fields = ("fan__username", "message")
    raw_id_fields = ("fan", "post", "build")
    date_hierarchy = "created_at"


class DeliveryFilter(admin.SimpleListFilter):
    title = "delivery"
    parameter_name = "delivery"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("pending", "Pending"), ("sent", "Sent"), ("failed", "Failed")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "pending":
            return queryset.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
        if self.value() == "sent":
            return queryset.filter(sent_at__isnull=False)
        if self.value() == "failed":
            return queryset.filter(sent_at__isnull=True, attempts__gte=MAX_ATTEMPTS)
        return queryset


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = ("key", "fan", "subject", "created_at", "sent_at", "attempts", "last_error")
    list_filter = (DeliveryFilter,)
    search_fields = ("key", "fan__username", "fan__email", "subject")
    raw_id_fields = ("fan",)
    date_hierarchy = "created_at"
    # The outbox is written by actions and read by workers; the admin watches and retries.
    readonly_fields = (
        "key",
        "fan",
        "subject",
        "body",
        "unsubscribe_url",
        "created_at",
        "sent_at",
        "attempts",
        "claimed_by",
        "claimed_until",
        "last_error",
    )
    actions = ["retry"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Try the selected unsent emails again now")
    def retry(self, request: HttpRequest, queryset: QuerySet[OutboxEmail]) -> None:
        count = queryset.filter(sent_at__isnull=True).update(
            attempts=0, claimed_by="", claimed_until=None, last_error=""
        )
        if count:
            start_delivery()
        self.message_user(request, f"{count} email(s) queued again.")
