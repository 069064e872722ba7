"""The settings of the server `manage.py bench` measures: the project's own, and a URL
configuration with one more view (bench/urls.py), the floor of the API's figures."""

from orangefriday.settings import *  # noqa: F403

ROOT_URLCONF = "orangefriday.bench.urls"
