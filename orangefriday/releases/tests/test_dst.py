"""104 consecutive Friday cuts across daylight-saving changes, with the server's clock on UTC
and on UTC+14 (Django's TIME_ZONE and the process's TZ both): the build comes at 17:00:00
product time sharp, never at 16:59:59.999999, and only once."""

import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from orangefriday.board.models import Product
from orangefriday.core.calendar import cut_instant, version_for
from orangefriday.releases.cuts import cut_and_publish_due_builds
from orangefriday.releases.models import Build, Channel

from .conftest import local, ship

pytestmark = pytest.mark.django_db

WEEKS = 104
FIRST_FRIDAY = date(2026, 1, 2)


@pytest.fixture(params=["UTC", "Etc/GMT-14"])
def server_clock(request, settings, monkeypatch) -> Iterator[str]:
    """The server's own clock zone: Django's TIME_ZONE and the process's TZ (Etc/GMT-14 is
    UTC+14, POSIX signs being inverted)."""
    zone = request.param
    settings.TIME_ZONE = zone
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    yield zone
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "America/New_York", "Europe/Berlin"])
def test_104_fridays_at_17_00_sharp_across_dst(zone, server_clock, clock, maya, alice, recorder):
    expected_offset = 14 * 3600 if server_clock == "Etc/GMT-14" else 0
    assert time.localtime().tm_gmtoff == expected_offset
    assert timezone.get_current_timezone().key == server_clock  # type: ignore[attr-defined]

    product: Product = recorder
    product.time_zone = zone
    product.created_at = local(2025, 12, 29, zone=zone)  # after the Friday before
    product.save()
    offsets = set()

    for week in range(WEEKS):
        friday = FIRST_FRIDAY + timedelta(weeks=week)
        version = version_for(friday)
        wednesday = friday - timedelta(days=2)
        clock.move_to(local(wednesday.year, wednesday.month, wednesday.day, 12, zone=zone))
        post = ship(engineer=maya, author=alice, product=product, title=f"Week {week + 1} idea")

        def cut_at(*wall: int, friday: date = friday) -> list[Build]:
            clock.move_to(local(friday.year, friday.month, friday.day, *wall, zone=zone))
            return cut_and_publish_due_builds(now=timezone.now())

        assert cut_at(16, 59, 59, 999_999) == []
        assert not Build.objects.filter(version=version).exists(), f"{version} came early"

        published = cut_at(17, 0, 0, 0)
        assert [b.version for b in published] == [version], f"no build at 17:00 on {friday}"
        build = published[0]
        assert build.cut_at == cut_instant(friday, zone)
        assert build.week_number == week + 1
        assert [c.post_id for c in build.changes.all()] == [post.pk]
        assert build.announcement is not None and build.announcement.pinned

        assert cut_at(17, 0, 0, 1) == []
        assert Build.objects.filter(version=version).count() == 1
        offsets.add(build.cut_at.astimezone(ZoneInfo(zone)).utcoffset())
        assert build.cut_at.astimezone(ZoneInfo(zone)).time().isoformat() == "17:00:00"
        assert datetime.now().astimezone().utcoffset() == timedelta(seconds=expected_offset)

    assert Build.objects.filter(channel=Channel.DEVELOPER).count() == WEEKS
    # The two years crossed the zone's daylight-saving changes (none in Shanghai).
    assert len(offsets) == (1 if zone == "Asia/Shanghai" else 2)
