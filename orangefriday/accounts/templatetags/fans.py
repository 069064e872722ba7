"""How a fan appears on every page: `{% fan_link post.author %}` (avatar and name, linked to
the profile) and `{% avatar fan "large" %}`. Pages never pick between the display name and
the username themselves: `User.shown_name` does, once."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from orangefriday.accounts.models import User

register = template.Library()

SIZES = {"small": 24, "large": 96}
HUES = 8  # site.css: .avatar-hue-0 … .avatar-hue-7, each 5.5:1 or more with white


@register.simple_tag
def avatar(fan: User, size: str = "small") -> SafeString:
    """The fan's avatar, or their initial on a circle of a colour of their own. Their name
    is always written beside it, so the picture has no text of its own (alt=""): a screen
    reader reads the name once, not "avatar of …" before it."""
    pixels = SIZES[size]
    if fan.avatar:
        return format_html(
            '<img class="avatar avatar-{}" src="{}" width="{}" height="{}" alt="" loading="lazy">',
            size,
            fan.avatar_url,
            pixels,
            pixels,
        )
    return format_html(
        '<span class="avatar avatar-{} avatar-hue-{}" aria-hidden="true" translate="no">{}</span>',
        size,
        (fan.pk or 0) % HUES,
        fan.shown_name[:1].upper(),
    )


@register.simple_tag
def fan_link(fan: User, with_avatar: bool = True) -> SafeString:
    """The fan's name linked to their profile (whose address keeps the username), with
    their avatar before it unless `with_avatar` is False (lists of names)."""
    if fan.deleted_at is not None:  # "a former fan" has no profile any more
        shown = format_html("<span>{}</span>", fan.shown_name)  # translated words
        return (
            format_html('<span class="fan">{}{}</span>', avatar(fan), shown)
            if with_avatar
            else shown
        )
    url = reverse("accounts:profile", args=[fan.username])
    if not with_avatar:
        return format_html('<a href="{}" translate="no">{}</a>', url, fan.shown_name)
    # translate="no": the name is the fan's own, in no page language (the crawler of
    # demo/tests/test_browser_chinese.py skips such text).
    return format_html(
        '<a class="fan" href="{}">{}<span translate="no">{}</span></a>',
        url,
        avatar(fan),
        fan.shown_name,
    )
