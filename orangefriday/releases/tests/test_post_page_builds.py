"""The post page names the published builds that shipped the post; an internal build only
to those who see the product's internal builds."""

import re

import pytest
from django.db import connection
from django.utils import timezone

from orangefriday.board.actions import create_post
from orangefriday.releases.cuts import cut_internal_build
from orangefriday.releases.models import Build, Change

pytestmark = pytest.mark.django_db


def shipped_in(html: str) -> list[str]:
    return re.findall(r'data-testid="shipped-in">Shipped in <a href="[^"]+">([^<]+)</a>', html)


def test_the_post_page_names_its_builds_and_an_internal_one_to_engineers_only(
    stable, product, alice, bob, maya, logged_in
):
    post = create_post(author=alice, product=product, kind="idea", title="Pause a recording")
    internal = cut_internal_build(product=product, at=timezone.now(), by=maya)
    Build.objects.filter(pk=internal.pk).update(published_at=timezone.now())
    for build in (stable, internal):
        Change.objects.create(build=build, post=post, kind="new", text="Pause")

    client, statements = logged_in(bob), list[str]()

    def noted(execute, sql, *args):
        statements.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(noted):
        fans = client.get(post.get_absolute_url()).content.decode()
    engineers = logged_in(maya).get(post.get_absolute_url()).content.decode()

    assert shipped_in(fans) == [stable.version]
    assert sorted(shipped_in(engineers)) == sorted([stable.version, internal.version])
    # The builds come with their changes: none is read on its own (no deferred field loaded).
    assert [sql for sql in statements if 'JOIN "releases_build"' in sql]  # read with the changes
    assert not [sql for sql in statements if sql.startswith('SELECT "releases_build"')]
