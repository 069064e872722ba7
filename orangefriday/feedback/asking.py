"""Where voters are asked "did this solve it?": under each post of the build's email (a
releases.asks extra), and the signed link that email carries (answered logged out)."""

from collections.abc import Callable

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext

from orangefriday.releases.models import Build, Channel
from orangefriday.voting.models import Vote

from .solved import Asked, answer_tokens


def answer_links() -> Callable[[Asked], str]:
    """A maker of absolute links, for emails: the page's address is resolved once, not per
    fan (a build's email goes to 200,000). `?answer=yes` or `no` only chooses the answer on
    the page the link opens, where the fan confirms it (a mail scanner that follows links
    answers nothing)."""
    head, tail = (settings.SITE_URL + reverse("feedback:solved", args=["-"])).rsplit("-", 1)
    token = answer_tokens()
    return lambda asked: f"{head}{token(asked)}{tail}"


def ask_in_email(build: Build, pairs: list[tuple[int, int]]) -> dict[tuple[int, int], str]:
    """The question under each post, for the fans of the chunk who voted for it (the
    others, who only follow it, are told without being asked); one query per call."""
    if build.channel != Channel.DEVELOPER or not pairs:
        return {}
    fans = [fan for fan, _ in pairs]
    voted = set(
        Vote.objects.filter(
            post_id__in={post for _, post in pairs}, fan_id__gte=min(fans), fan_id__lte=max(fans)
        ).values_list("fan_id", "post_id")
    )
    link = answer_links()
    # Translated once per call, not per pair (a million pairs a build).
    question = gettext("Did %(version)s solve it for you? Yes: %(yes)s\nNo: %(no)s")
    asked = {}
    for fan_id, post_id in pairs:
        if (fan_id, post_id) not in voted:
            continue
        token_url = link(Asked(fan_id, post_id, build.pk))
        asked[fan_id, post_id] = question % {
            "version": build.version,
            "yes": f"{token_url}?answer=yes",
            "no": f"{token_url}?answer=no",
        }
    return asked
