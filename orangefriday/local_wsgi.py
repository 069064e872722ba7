"""The application `manage.py runserver` serves (`make run`, one machine): unlike the
production entry point (wsgi.py), it works with the key generated once into var/."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orangefriday.settings")
application = get_wsgi_application()
