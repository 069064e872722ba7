from django.contrib import admin

from .models import Category, Comment, Post, Product, Tag


class CategoryInline(admin.TabularInline):
    model = Category
    prepopulated_fields = {"slug": ("name",)}
    extra = 1


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "created_at")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("engineers",)
    inlines = [CategoryInline]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("title", "product", "kind", "status", "votes_count", "author", "created_at")
    list_filter = ("product", "kind", "status")
    search_fields = ("title",)
    raw_id_fields = ("author", "found_in_build")
    # A bug's log is only ever sent by the download view (see logs.py), never linked here.
    exclude = ("log",)
    # Counters are kept by the actions, and title/body feed the rendered HTML and the search
    # index: editing them here would leave those stale.
    readonly_fields = (
        "title",
        "body",
        "votes_count",
        "trending_votes",
        "hot_score",
        "comments_count",
        "readers_count",
        "anonymous_views",
        "log_name",
        "log_size",
    )


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("post", "author", "official", "created_at")
    raw_id_fields = ("post", "author", "parent")


admin.site.register(Tag)
