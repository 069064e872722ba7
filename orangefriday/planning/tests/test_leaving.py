"""An engineer who deletes their account leaves the product's teams: a team page lists only
people who can still build, and a former fan answers for no product."""

import pytest

from orangefriday.accounts.actions import delete_account
from orangefriday.core.testing import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_deleted_engineer_leaves_their_teams(client, rockets, lee, maya, recorder):
    delete_account(fan=lee, password=PASSWORD, keep_content=True)
    rockets.refresh_from_db()
    assert list(rockets.members.all()) == [maya]
    assert not recorder.engineers.filter(pk=lee.pk).exists()
    page = client.get(rockets.get_absolute_url()).content.decode()
    assert "former-fan" not in page and "a former fan" not in page
