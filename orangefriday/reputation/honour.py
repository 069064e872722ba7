"""The honour roll: each product's founding fans and each developer build's first testers,
filled by consumers as fans take part (first come, in event order), and chosen by engineers."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from orangefriday.accounts.models import User
from orangefriday.board.models import Post, Product
from orangefriday.board.permissions import is_engineer_of
from orangefriday.core.events import consumer
from orangefriday.core.models import Event
from orangefriday.feedback.models import Report
from orangefriday.releases.models import Build, Channel

from .models import FirstTester, FoundingFan


def founding_fans(product: Product):
    return FoundingFan.objects.filter(product=product).select_related("fan")


def first_testers_of(builds: list[Build]) -> dict[int, list[FirstTester]]:
    found: dict[int, list[FirstTester]] = {build.pk: [] for build in builds}
    for row in FirstTester.objects.filter(build__in=builds).select_related("fan"):
        found[row.build_id].append(row)
    return found


def _take_part(product_id: int, fan_id: int | None, at) -> None:
    """A fan's first part in a product makes them a founding fan while there are fewer
    than FOUNDING_FANS of them (engineers' choices count too)."""
    if fan_id is None:
        return
    taken = FoundingFan.objects.filter(product_id=product_id)
    if taken.count() >= settings.FOUNDING_FANS or taken.filter(fan_id=fan_id).exists():
        return
    FoundingFan.objects.create(product_id=product_id, fan_id=fan_id, since=at)


@consumer("post.created", name="reputation.founding_post")
def founding_post(event: Event) -> None:
    _take_part(event.payload["product_id"], event.actor_id, event.created_at)


@consumer("comment.added", name="reputation.founding_comment")
def founding_comment(event: Event) -> None:
    product_id = Post.objects.filter(pk=event.payload["post_id"]).values_list(
        "product_id", flat=True
    )
    if product_id.exists():
        _take_part(product_id[0], event.actor_id, event.created_at)


@consumer("report.filed", name="reputation.first_testers")
def first_tester(event: Event) -> None:
    """The build's first FIRST_TESTERS fans to file a four-grid report, in event order."""
    if event.payload.get("changed") or event.actor_id is None:
        return
    build_id = event.payload["build_id"]
    build = Build.objects.filter(pk=build_id, channel=Channel.DEVELOPER).first()
    if build is None or not Report.objects.filter(pk=event.subject_id).exists():
        return
    _take_part(build.product_id, event.actor_id, event.created_at)
    rows = FirstTester.objects.filter(build=build)
    count = rows.count()
    if count >= settings.FIRST_TESTERS or rows.filter(fan_id=event.actor_id).exists():
        return
    FirstTester.objects.create(
        build=build, fan_id=event.actor_id, position=count + 1, reported_at=event.created_at
    )


def choose_founding_fan(*, by: User, product: Product, fan: User) -> FoundingFan:
    """An engineer of the product adds a fan to its founding fans (beyond the first ones)."""
    if not is_engineer_of(by, product):
        raise PermissionDenied(
            _("Only engineers of %(product)s choose its founding fans.")
            % {"product": product.local_name}
        )
    if not fan.is_active:
        raise ValidationError({"fan": _("No such fan.")})
    with transaction.atomic():
        row, _created = FoundingFan.objects.get_or_create(
            product=product, fan=fan, defaults={"chosen_by": by}
        )
    return row
