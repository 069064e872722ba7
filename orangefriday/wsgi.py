"""The production entry point (gunicorn). Unlike `make run`, it refuses to start without
SECRET_KEY when DEBUG is off: several web hosts must share one key (sessions, password-reset
and verification links are signed with it), and a key generated on one host is not shared."""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orangefriday.settings")


def check_secret_key() -> None:
    from django.conf import settings

    if not os.environ.get("SECRET_KEY") and not settings.DEBUG:
        raise ImproperlyConfigured(
            "Set SECRET_KEY (the same long random value on every web host and worker); "
            "`make run` generates one for a single machine, production does not."
        )


check_secret_key()
django_application = get_wsgi_application()

# After Django is set up (it imports models). The API's hottest calls skip what they do not
# need (orangefriday/core/fastpath.py): a sale round's buy, a vote.
from orangefriday.core.fastpath import LeanApiPath  # noqa: E402
from orangefriday.sales.fastpath import BUY  # noqa: E402
from orangefriday.voting.fastpath import vote_route  # noqa: E402

application = LeanApiPath(django_application, [BUY, vote_route()])
