from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .actions import add_missing_allocations
from .models import Allocation, Edition, FCode, Launch, Order, OrderChange, Reservation, SaleRound


class EditionInline(admin.TabularInline):
    model = Edition
    extra = 0


class RoundInline(admin.TabularInline):
    model = SaleRound
    extra = 0
    readonly_fields = ["announced_at"]


@admin.register(Launch)
class LaunchAdmin(admin.ModelAdmin):
    list_display = ["name", "product", "reservations_open_at", "reservations_close_at"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [EditionInline, RoundInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # Rounds and editions added here get their stock as create_launch gives it.
        super().save_related(request, form, formsets, change)
        add_missing_allocations(form.instance)


@admin.register(Allocation)
class AllocationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "units", "units_left", "fcode_units", "fcode_units_left"]


class OrderChangeInline(admin.TabularInline):
    model = OrderChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_state", "to_state", "note", "at"]


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    """Orders change state through the actions (payment, expiry, the API); here they are read."""

    list_display = ["pk", "fan", "sale_round", "state", "price", "created_at", "held_until"]
    list_filter = ["state"]
    readonly_fields = [f.name for f in Order._meta.fields]
    inlines = [OrderChangeInline]


admin.site.register(Reservation, list_display=["launch", "fan", "created_at"])
admin.site.register(FCode, list_display=["__str__", "holder", "reason", "used_at", "gifted_at"])
