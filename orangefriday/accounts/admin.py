from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .forms import AdminLoginForm
from .models import ApiToken, User

# The admin's log-in says when a locked account may try again, like the fans' one.
admin.site.login_form = AdminLoginForm


@admin.register(User)
class FanAdmin(UserAdmin):
    list_display = ("username", "email", "role", "is_active", "date_joined")
    list_filter = ("role", "is_active", "is_staff")
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Orange Friday", {"fields": ("role", "bio", "email_verified_at")}),
    )  # type: ignore[misc]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "user",
        "hint",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    readonly_fields = ("token_hash", "hint", "created_at", "last_used_at")
    search_fields = ("user__username", "name")
