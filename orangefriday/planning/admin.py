from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from .actions import check_members
from .models import Claim, Team
from .rules import capacity_problem


class TeamAdminForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ("product", "name", "slug", "members", "weekly_capacity", "created_at")

    def clean(self) -> dict[str, Any]:
        """The same rules as the API and the pages: 2-3 engineers of the product."""
        data = super().clean() or {}
        product, members = data.get("product"), data.get("members")
        if product is not None and members is not None:
            try:
                check_members(product, members)
            except ValidationError as error:
                self.add_error("members", error.message_dict["members"])
        capacity = data.get("weekly_capacity")
        problem = capacity_problem(capacity) if capacity is not None else None
        if problem:
            self.add_error("weekly_capacity", problem)
        return data


class ClaimInline(admin.TabularInline):
    model = Claim
    fields = ("post", "engineer", "week_start", "claimed_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    form = TeamAdminForm
    list_display = ("name", "product", "slug", "weekly_capacity", "created_at")
    list_filter = ("product",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("members",)
    inlines = [ClaimInline]


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    """Claims are made, released and shipped on the planning board or through the API, which
    also move the post's status and tell its followers; here they are only read (or deleted
    to clean up)."""

    list_display = ("post", "team", "engineer", "week_start", "claimed_at")
    list_filter = ("team__product", "team", "week_start")
    search_fields = ("post__title", "team__name", "engineer__username")
    raw_id_fields = ("post", "engineer")
    date_hierarchy = "claimed_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
