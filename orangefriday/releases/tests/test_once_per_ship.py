"""The rule for a ship (README, "Who is told"): marking a post shipped tells nobody; the
published build tells each voter and follower once, one in-app notification and one email
per fan per build, listing every shipped post of theirs."""

import pytest

from orangefriday.board.actions import add_comment
from orangefriday.core.events import dispatch
from orangefriday.notifications.models import Notification, OutboxEmail
from orangefriday.releases.cuts import cut_and_publish_due_builds

from .conftest import local, ship

pytestmark = pytest.mark.django_db


def test_a_post_shipped_and_published_reaches_each_voter_exactly_once(
    clock, product, maya, alice, bob, fans
):
    clock.move_to(local(2026, 11, 25, 10, 0))
    voters = [bob, *fans]
    mute = ship(engineer=maya, author=alice, product=product, title="Mute", voters=voters)
    cloud = ship(engineer=maya, author=alice, product=product, title="Cloud", voters=[bob])
    add_comment(author=fans[0], post=cloud, body="Finally!")  # fans[0] follows cloud too
    dispatch()
    # Marked shipped: nobody has it yet, so nobody is told (alice only hears of the reply).
    assert set(Notification.objects.values_list("kind", flat=True)) == {"reply"}
    Notification.objects.all().delete()
    OutboxEmail.objects.all().delete()

    clock.move_to(local(2026, 11, 27, 17, 0))
    (build,) = cut_and_publish_due_builds(now=local(2026, 11, 27, 17, 0))
    dispatch()
    dispatch()  # a second run (a scheduler's safety net) changes nothing

    everyone = {alice.pk, *(fan.pk for fan in voters)}
    told = list(Notification.objects.values_list("fan_id", "build_id", "kind"))
    assert sorted(told) == sorted((fan_id, build.pk, "shipped") for fan_id in everyone)
    emails = list(OutboxEmail.objects.values_list("fan_id", "key"))
    assert sorted(emails) == sorted((f, f"build:{build.pk}:fan:{f}") for f in everyone)
    bobs = OutboxEmail.objects.get(fan=bob)
    assert bobs.subject == "2 posts you follow shipped in Sound Recorder 26.11.27"
    assert "• Mute" in bobs.body and "• Cloud" in bobs.body
    assert Notification.objects.get(fan=fans[1]).message == "“Mute” shipped in 26.11.27"
    assert Notification.objects.get(fan=fans[0]).message == "2 posts you follow shipped in 26.11.27"
    assert mute.pk != cloud.pk
