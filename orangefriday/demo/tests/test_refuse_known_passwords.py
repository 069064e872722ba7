"""The demo's accounts share a published password: they never go into a database that
already holds fans of its own (`make run` on a real database)."""

import pytest
from django.core.management import CommandError, call_command

from orangefriday.accounts.models import User
from orangefriday.board.models import Product

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("if_empty", [False, True])
def test_the_demo_is_refused_where_other_fans_are(alice, if_empty):
    with pytest.raises(CommandError, match="already holds 1 fan"):
        call_command("load_demo", *(["--if-empty"] if if_empty else []))
    assert list(User.objects.values_list("username", flat=True)) == ["alice"]
    assert not Product.objects.exists()
