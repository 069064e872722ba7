from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from orangefriday.board.models import Product
from orangefriday.core.text import absolute_links, render_markdown

from .models import Build
from .queries import absolute_notes_markdown, changelog

FEED_ITEMS = 20


class ChangelogFeed(Feed):
    """The product's changelog as Atom: one entry per published developer build."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, slug: str) -> Product:  # type: ignore[override]
        return get_object_or_404(Product, slug=slug)

    def title(self, obj: Product) -> str:
        return f"{obj.name} changelog"

    def subtitle(self, obj: Product) -> str:
        return f"The weekly developer builds of {obj.name}, with the fans who proposed them."

    # Every link is absolute on SITE_URL, as in emails: a feed reader keeps them, whichever
    # address it fetched the feed from.
    def link(self, obj: Product) -> str:
        return settings.SITE_URL + reverse("releases:changelog", args=[obj.slug])

    def feed_url(self, obj: Product) -> str:
        return settings.SITE_URL + reverse("releases:changelog_feed", args=[obj.slug])

    def author_name(self, obj: Product) -> str:
        return obj.name

    def items(self, obj: Product) -> list[Build]:
        return list(changelog(obj)[:FEED_ITEMS])

    def item_title(self, item: Build) -> str:
        week = f"Week {item.week_number}: " if item.week_number else ""
        return f"{week}{item.product.name} {item.version}"

    def item_description(self, item: Build) -> str:
        # The engineers' intro may link to pages of the site as paths (the Popcorn Award's
        # team); a feed reader has no site to put them on.
        html = render_markdown(absolute_notes_markdown(item))
        return absolute_links(html, settings.SITE_URL)

    def item_link(self, item: Build) -> str:
        return settings.SITE_URL + item.get_absolute_url()

    def item_guid(self, item: Build) -> str:
        return f"{settings.SITE_URL}{item.get_absolute_url()}"

    def item_pubdate(self, item: Build) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Build) -> datetime | None:
        return item.published_at
