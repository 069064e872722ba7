"""Reputation's consumers of events (core.events): each earning or costing event becomes
one ledger row (ledger.write), keyed by the thing that earned it.

Nothing a fan does alone earns points: votes given and posts written earn nothing; a post
earns when other fans' votes carry it past a milestone, when somebody else ships it, lists
it as a known issue or features it; a report or a rating counts once per build.
"""

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from orangefriday.board.models import Comment, Kind, Post, Product
from orangefriday.core.events import consumer
from orangefriday.core.models import Event
from orangefriday.feedback.models import Rating, Report
from orangefriday.notifications.inbox import News, tell
from orangefriday.notifications.models import NotificationKind
from orangefriday.releases.models import Channel

from .ledger import Credit, balance, write
from .models import Entry, Tester, TesterStatus
from .rules import GIVEN_BACK
from .testers import deduct, withdraw_deduction


def _post(post_id: int) -> Post | None:
    return Post.objects.filter(pk=post_id).only("id", "product_id", "author_id", "title").first()


def _for_post(
    event: Event,
    post: Post,
    reason: str,
    key: str,
    fan_id: int | None = None,
    points: int | None = None,
) -> None:
    write(
        Credit(
            fan_id=fan_id or post.author_id,
            product_id=post.product_id,
            reason=reason,
            key=key,
            source_type="board.post",
            source_id=post.pk,
            at=event.created_at,
            event_id=event.pk,
            note=post.title,
            url=reverse("board:post", args=[post.pk]),
            points=points,
        )
    )


def _toggle(event: Event, post: Post, key: str, reason: str, fan_id: int | None = None) -> None:
    """One row for something that can be undone and done again (featured and unfeatured,
    removed and restored): the doing row when the thing holds no points, the undoing row
    (reason in GIVEN_BACK, the opposite of what it holds) when it does. So a fan holds a
    thing's points at most once however often it flips, and each row, keyed by its event,
    is written once whatever replays it."""
    if Entry.objects.filter(event_id=event.pk, key__startswith=key).exists():
        return  # this event was counted already (a replay, or the worker handed it over)
    held = balance(key)
    if reason in GIVEN_BACK:
        if held:
            _for_post(event, post, reason, f"{key}:{event.pk}", fan_id, points=-held)
    elif not held:
        # The first row of a thing keeps the plain key, as before things could be undone.
        first = not Entry.objects.filter(key=key).exists()
        _for_post(event, post, reason, key if first else f"{key}:{event.pk}", fan_id)


@consumer("post.votes_reached", name="reputation.votes_milestone")
def votes_milestone(event: Event) -> None:
    post = _post(event.subject_id)
    if post is not None:
        votes = event.payload["votes"]
        _for_post(event, post, "votes_milestone", f"votes:{post.pk}:{votes}")


@consumer("post.status_changed", name="reputation.idea_shipped")
def idea_shipped(event: Event) -> None:
    """An idea shipped by somebody other than its author (an engineer shipping their own
    idea earns nothing: that would be farming alone)."""
    p = event.payload
    if p["to_status"] != "shipped" or p["from_status"] == "shipped":
        return
    post = _post(event.subject_id)
    if post is None or post.author_id == event.actor_id:
        return
    if Post.objects.filter(pk=post.pk, kind=Kind.IDEA).exists():
        _for_post(event, post, "idea_shipped", f"shipped:{post.pk}")


@consumer("known_issue.listed", name="reputation.known_issue")
def known_issue(event: Event) -> None:
    post = _post(event.payload["post_id"])
    if post is not None and post.author_id != event.actor_id:
        _for_post(event, post, "known_issue", f"known:{post.pk}")


@consumer("post.featured", "post.unfeatured", name="reputation.post_featured")
def post_featured(event: Event) -> None:
    """Featured: the author earns the setting's points (not for featuring their own post);
    unfeatured: what the post holds is taken back. Featured again, it earns again only
    what was taken back, never twice at once."""
    post = _post(event.subject_id)
    if post is None:
        return
    if event.kind == "post.unfeatured":
        _toggle(event, post, f"featured:{post.pk}", "post_unfeatured")
    elif post.author_id != event.actor_id:
        _toggle(event, post, f"featured:{post.pk}", "post_featured")


@consumer("award.given", name="reputation.popcorn_award")
def popcorn_award(event: Event) -> None:
    """The proposer of the winning change's post (the team's work, the fan's idea)."""
    post_id = event.payload.get("post_id")
    post = _post(post_id) if post_id else None
    if post is not None:
        _for_post(event, post, "popcorn_award", f"award:{event.subject_id}")


def _feedback(event: Event, reason: str, model: Any) -> None:
    if event.payload.get("changed") or event.actor_id is None:
        return  # a changed report or rating earned its points the first time
    row = model.objects.filter(pk=event.subject_id).select_related("build").first()
    if row is None:
        return
    write(
        Credit(
            fan_id=event.actor_id,
            product_id=row.build.product_id,
            reason=reason,
            key=f"{reason}:{row.build_id}:{event.actor_id}",
            source_type="releases.build",
            source_id=row.build_id,
            at=event.created_at,
            event_id=event.pk,
            note=row.build.version,
            url=reverse("feedback:results", args=[row.build_id]),
        )
    )


@consumer("report.filed", name="reputation.report_filed")
def report_filed(event: Event) -> None:
    _feedback(event, "report_filed", Report)


@consumer("rating.given", name="reputation.rating_given")
def rating_given(event: Event) -> None:
    _feedback(event, "rating_given", Rating)


@consumer("solution.answered", name="reputation.solution_answered")
def solution_answered(event: Event) -> None:
    p = event.payload
    post = _post(p["post_id"])
    if post is not None:
        _for_post(event, post, "solution_answered", f"answer:{post.pk}:{p['fan_id']}", p["fan_id"])


@consumer("flag.upheld", "flag.rejected", name="reputation.flag_decided")
def flag_decided(event: Event) -> None:
    """The flagger's points: a flag is decided once, upheld or rejected."""
    p = event.payload
    reason = "flag_upheld" if event.kind == "flag.upheld" else "flag_rejected"
    target = _flagged(event)
    write(
        Credit(
            fan_id=p["flagger_id"],
            product_id=target[0] if target else None,
            reason=reason,
            key=f"flag:{event.subject_type}:{event.subject_id}",
            source_type="moderation.flag",
            source_id=event.subject_id,
            at=event.created_at,
            event_id=event.pk,
            note=target[1] if target else "",
            url=target[2] if target else "",
        )
    )


def _flagged(event: Event) -> tuple[int, str, str] | None:
    """The product, title and address of what a flag event is about, when it names it."""
    p = event.payload
    post_id = p.get("post_id")
    if post_id is None and p.get("comment_id"):
        post_id = Comment.objects.filter(pk=p["comment_id"]).values_list("post_id", flat=True)
        post_id = post_id.first()
    post = _post(post_id) if post_id else None
    if post is None:
        return None
    return post.product_id, post.title, reverse("board:post", args=[post.pk])


def removed_content(event: Event) -> tuple[str, Post] | None:
    """For content.hidden / content.deleted / content.restored: ("post" or "comment", the
    post it is on), or None when it was the author's own doing or the content is gone."""
    if event.payload.get("by") != "moderator":
        return None
    if event.subject_type == "board.comment":
        post_id = Comment.objects.filter(pk=event.subject_id).values_list("post_id", flat=True)
        post = _post(post_id.first() or 0)
        return ("comment", post) if post is not None else None
    post = _post(event.subject_id)
    return ("post", post) if post is not None else None


def _removal_key(event: Event) -> str:
    """One key per removed post or comment: its cost, its undoing and its deduction."""
    return f"removed:{event.subject_type}:{event.subject_id}"


@consumer(
    "content.hidden", "content.deleted", "content.restored", name="reputation.content_removed"
)
def content_removed(event: Event) -> None:
    """Hidden or deleted: the setting's points off, once however often both happen;
    restored: exactly those points back. Hidden again, it costs again."""
    found = removed_content(event)
    if found is None:
        return
    what, post = found
    undone = "restored" if event.kind == "content.restored" else "removed"
    _toggle(
        event,
        post,
        _removal_key(event),
        f"{what}_{undone}",
        event.payload["author_id"],
    )


@consumer("fan.silenced", "fan.suspended", name="reputation.fan_sanctioned")
def fan_sanctioned(event: Event) -> None:
    """Site-wide: each silence or suspension costs, so the key is the event's."""
    reason = "silenced" if event.kind == "fan.silenced" else "suspended"
    write(
        Credit(
            fan_id=event.subject_id,
            product_id=None,
            reason=reason,
            key=f"{reason}:{event.pk}",
            source_type="accounts.user",
            source_id=event.subject_id,
            at=event.created_at,
            event_id=event.pk,
            note=str(event.payload.get("reason", ""))[:200],
        )
    )


# The tester programme's deductions (testers.deduct), from the same moderation events.


@consumer("content.hidden", "content.deleted", name="reputation.tester_content_removed")
def tester_content_removed(event: Event) -> None:
    found = removed_content(event)
    if found is None:
        return
    what, post = found
    deduct(
        fan_id=event.payload["author_id"],
        product_id=post.product_id,
        reason=f"{what}_removed",
        key=_removal_key(event),
        url=reverse("board:post", args=[post.pk]),
        now=event.created_at,
    )


@consumer("content.restored", name="reputation.tester_content_restored")
def tester_content_restored(event: Event) -> None:
    found = removed_content(event)
    if found is None:
        return
    _what, post = found
    withdraw_deduction(
        fan_id=event.payload["author_id"],
        product_id=post.product_id,
        key=_removal_key(event),
    )


@consumer("flag.upheld", name="reputation.tester_flag_upheld")
def tester_flag_upheld(event: Event) -> None:
    target = _flagged(event)
    deduct(
        fan_id=event.payload["author_id"],
        product_id=target[0] if target else None,
        reason="flag_upheld_against",
        key=f"flag:{event.subject_type}:{event.subject_id}",
        url=target[2] if target else "",
        now=event.created_at,
    )


@consumer("fan.silenced", "fan.suspended", name="reputation.tester_sanctioned")
def tester_sanctioned(event: Event) -> None:
    deduct(
        fan_id=event.subject_id,
        product_id=None,
        reason="silenced" if event.kind == "fan.silenced" else "suspended",
        key=f"{event.kind}:{event.pk}",
        url="",
        now=event.created_at,
    )


# Who hears about the programme: a removed tester, and testers of a new internal build.


@consumer("tester.removed", name="reputation.tell_removed_tester")
def tell_removed_tester(event: Event) -> None:
    product = Product.objects.get(pk=event.payload["product_id"])
    url = reverse("reputation:standing", args=[product.slug])
    reason = event.payload["reason"]

    def news() -> News:  # worded in the fan's language
        title = _("You are no longer a %(product)s tester") % {"product": product.local_name}
        return News(
            kind=NotificationKind.TESTER,
            message=f"{title}: {reason}",
            url=url,
            email_subject=title,
            email_body=f"{title}.\n\n{reason}\n\n{settings.SITE_URL}{url}\n",
        )

    tell(
        fan_ids=[event.payload["fan_id"]],
        news=news,
        event_key=f"tester-removed:{event.subject_id}",
    )


@consumer("build.published", name="reputation.tell_testers_of_internal_build")
def tell_testers_of_internal_build(event: Event) -> None:
    """An internal build is news to the product's testers (its engineers cut it)."""
    if event.payload["channel"] != Channel.INTERNAL:
        return
    product = Product.objects.get(pk=event.payload["product_id"])
    url = event.payload["url"]
    fans = Tester.objects.filter(
        programme__product=product, status=TesterStatus.ACTIVE
    ).values_list("fan_id", flat=True)

    def news() -> News:  # worded in each tester's language
        title = _("Internal build %(version)s of %(product)s is out") % {
            "version": event.payload["version"],
            "product": product.local_name,
        }
        return News(
            kind=NotificationKind.INTERNAL_BUILD,
            message=title,
            url=url,
            email_subject=title,
            email_body=f"{title}: {settings.SITE_URL}{url}\n",
        )

    tell(fan_ids=list(fans), news=news, event_key=f"internal-build:{event.subject_id}")
