"""Sales' consumers: who is told of a round, and F-codes earned by contribution.

- `round.announced` tells every fan who reserved the launch, in-app and by email, in
  chunks of reservations (a launch has tens of thousands), and gives the unlucky ones a
  priority pass.
- `award.given` (feedback) earns the awarded post's author an F-code for the product's
  next launch; `post.status_changed` to shipped does the same for an idea's author.
- `launch.created` and `round.announced` earn F-codes for the product's testers in good
  standing and its fans with the most points; `fcode.issued` tells the code's holder.
- `order.paid` credits the fan's referrer; `order.cancelled` / `order.refunded` withdraw it.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from orangefriday.accounts.models import User
from orangefriday.board.models import Post
from orangefriday.core.events import consumer
from orangefriday.core.models import Event
from orangefriday.notifications.inbox import News, tell
from orangefriday.notifications.models import NotificationKind

from .actions import (
    credit_referral,
    earn_fcode,
    earn_fcodes_for_standing,
    give_priority_passes,
    next_launch,
    withdraw_referral_credit,
)
from .models import FCodeReason, Launch, Reservation


@consumer("round.announced", name="sales.tell_reserved_fans", chunked=True)
def tell_reserved_fans(event: Event, cursor: int | None) -> int | None:
    """One chunk of the launch's reservations per call, by reservation id."""
    p = event.payload
    after = cursor or 0
    chunk = list(
        Reservation.objects.filter(launch_id=p["launch_id"], pk__gt=after)
        .order_by("pk")
        .values_list("pk", "fan_id")[: settings.FANOUT_CHUNK_FANS]
    )
    if not chunk:
        return None
    launch = Launch.objects.get(pk=p["launch_id"])
    starts_at = parse_datetime(p["starts_at"])

    def news() -> News:  # worded in each fan's language, the start in their time zone
        when = p["starts_at"]
        if starts_at is not None:
            local = timezone.localtime(starts_at)
            when = f"{local:%Y-%m-%d %H:%M} ({timezone.get_current_timezone_name()})"
        message = _("%(launch)s: sale round %(number)s starts at %(when)s") % {
            "launch": launch.name,
            "number": p["number"],
            "when": when,
        }
        body = _(
            "You reserved %(launch)s. Sale round %(number)s starts at %(when)s; be there, stock "
            "is limited and each fan may take one unit.\n\n%(url)s\n"
        ) % {
            "launch": launch.name,
            "number": p["number"],
            "when": when,
            "url": settings.SITE_URL + p["url"],
        }
        return News(NotificationKind.SALE, message, p["url"], message, body)

    fan_ids = [fan_id for _, fan_id in chunk]
    tell(fan_ids=fan_ids, news=news, event_key=f"round:{event.subject_id}")
    give_priority_passes(launch=launch, round_id=event.subject_id, fan_ids=fan_ids)
    return chunk[-1][0]


def _earn_for_post(post_id: int, reason: str, earned_for: str) -> None:
    post = Post.objects.filter(pk=post_id).only("author_id", "product_id").first()
    if post is None or post.author_id is None:
        return
    launch = next_launch(post.product_id, now=timezone.now())
    if launch is not None:
        earn_fcode(fan=post.author, launch=launch, reason=reason, earned_for=earned_for)


@consumer("award.given", name="sales.fcode_for_award")
def fcode_for_award(event: Event) -> None:
    if settings.SALES_FCODE_FOR_AWARD:
        _earn_for_post(event.payload["post_id"], FCodeReason.AWARD, f"award:{event.subject_id}")


@consumer("post.status_changed", name="sales.fcode_for_shipped_idea")
def fcode_for_shipped_idea(event: Event) -> None:
    p = event.payload
    if not settings.SALES_FCODE_FOR_SHIPPED_IDEA or p["to_status"] == p["from_status"]:
        return
    if p["to_status"] != "shipped":
        return
    if Post.objects.filter(pk=event.subject_id, kind="idea").exists():
        _earn_for_post(event.subject_id, FCodeReason.IDEA, f"post:{event.subject_id}")


@consumer("launch.created", "round.announced", name="sales.fcodes_for_standing")
def fcodes_for_standing(event: Event) -> None:
    launch_id = event.subject_id if event.kind == "launch.created" else event.payload["launch_id"]
    launch = Launch.objects.filter(pk=launch_id).select_related("product").first()
    if launch is not None:
        earn_fcodes_for_standing(launch)


@consumer("fcode.issued", "fcode.gifted", name="sales.tell_fcode_holder")
def tell_fcode_holder(event: Event) -> None:
    """The fan a code is issued or gifted to hears of it (an unassigned code has nobody to
    tell yet)."""
    p = event.payload
    holder_id = p["to_id"] if event.kind == "fcode.gifted" else p.get("holder_id")
    if holder_id is None:
        return
    launch = Launch.objects.get(pk=p["launch_id"])
    giver = User.objects.filter(pk=event.actor_id or 0).first()
    url = reverse("sales:fcodes")

    def news() -> News:  # worded in each fan's language
        if event.kind == "fcode.gifted":
            why = _("a gift from %(fan)s") % {"fan": giver.shown_name if giver else "?"}
        else:
            why = str(FCodeReason(p["reason"]).label)
        message = _("You have an F-code for %(launch)s: %(reason)s") % {
            "launch": launch.name,
            "reason": why,
        }
        body = _(
            "You have an F-code for %(launch)s (%(reason)s). It lets you buy one unit without "
            "a reservation, before or during a sale round, while the share kept for F-codes "
            "lasts. You may use it or gift it to another fan once.\n\n%(url)s\n"
        ) % {"launch": launch.name, "reason": why, "url": settings.SITE_URL + url}
        return News(NotificationKind.SALE, message, url, message, body)

    tell(
        fan_ids=[holder_id],
        news=news,
        event_key=f"{event.kind}:{event.subject_id}",
    )


@consumer("order.paid", name="sales.credit_referrer")
def credit_referrer(event: Event) -> None:
    credit_referral(order_id=event.subject_id)


@consumer("order.cancelled", "order.refunded", name="sales.withdraw_referral_credit")
def withdraw_credit(event: Event) -> None:
    withdraw_referral_credit(order_id=event.subject_id)
