"""The public launch page: the launch's and its editions' Markdown shown as formatted text."""

import pytest
from django.test import Client

from .conftest import open_launch

pytestmark = pytest.mark.django_db


def test_the_descriptions_are_formatted_and_scripts_are_not(maya, recorder):
    launch = open_launch(maya, recorder)
    launch.editions.update(description="Black *back*. <script>alert(1)</script>")

    page = Client().get(launch.get_absolute_url()).content.decode()

    assert "A <strong>pocket</strong> recorder." in page
    assert "Black <em>back</em>." in page
    assert "&lt;p&gt;" not in page and "&lt;strong&gt;" not in page
    assert "<script>alert(1)" not in page
