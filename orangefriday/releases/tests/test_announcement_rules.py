"""A build's release announcement is never merged (issue 10, found while testing)."""

import pytest
from django.utils import timezone

from orangefriday.board.actions import create_post
from orangefriday.board.models import Status
from orangefriday.releases.cuts import cut_developer_build
from orangefriday.releases.publishing import publish_build

from .conftest import local, ship

pytestmark = pytest.mark.django_db


@pytest.fixture
def announcement(clock, product, maya, alice):
    clock.move_to(local(2026, 11, 25, 10, 0))
    ship(engineer=maya, author=alice, product=product, title="Mute while recording")
    clock.move_to(local(2026, 11, 27, 17, 0))
    build = cut_developer_build(product=product, at=timezone.now()).build
    assert build is not None
    return publish_build(by=maya, build=build).announcement


def test_a_moderator_cannot_merge_an_announcement_either_way(
    announcement, product, mo, alice, api_as
):
    fans_post = create_post(author=alice, product=product, kind="discussion", title="Week 1?")
    api = api_as(mo)
    away = api.post(f"/posts/{announcement.pk}/merge", {"original_id": fans_post.pk})
    assert away.status_code == 422 and "never merged" in away.json()["detail"]
    into = api.post(f"/posts/{fans_post.pk}/merge", {"original_id": announcement.pk})
    assert into.status_code == 422
    announcement.refresh_from_db()
    fans_post.refresh_from_db()
    assert announcement.status == fans_post.status == Status.OPEN
